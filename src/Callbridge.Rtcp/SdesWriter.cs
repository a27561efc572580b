using System.Buffers.Binary;

namespace Callbridge.Rtcp;

/// <summary>
/// Builds SDES chunks into a caller's buffer: <see cref="BeginChunk"/>, items, then <see cref="Complete"/>
/// closes the open chunk (null octet + zeros to 32 bits) and returns a <see cref="SourceDescription"/>.
/// </summary>
public ref struct SdesWriter
{
    private readonly Span<byte> _buffer;
    private int _length;
    private bool _open;

    public SdesWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _length = 0;
        _open = false;
        ChunkCount = 0;
    }

    public int ChunkCount { get; private set; }

    public bool TryBeginChunk(uint ssrc)
    {
        CloseChunk();
        if (ChunkCount == 31 || _length + 8 > _buffer.Length)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(_buffer[_length..], ssrc);
        _length += 4;
        _open = true;
        ChunkCount++;
        return true;
    }

    /// <summary>Adds an item (text up to 255 bytes) to the open chunk, keeping room for its terminator.</summary>
    public bool TryAddItem(SdesItemType type, ReadOnlySpan<byte> text)
    {
        if (!_open || type == SdesItemType.End || text.Length > 255 || _length + 2 + text.Length + 4 > _buffer.Length)
        {
            return false;
        }

        _buffer[_length] = (byte)type;
        _buffer[_length + 1] = (byte)text.Length;
        text.CopyTo(_buffer[(_length + 2)..]);
        _length += 2 + text.Length;
        return true;
    }

    public SourceDescription Complete()
    {
        CloseChunk();
        return new SourceDescription { ChunkCount = ChunkCount, Chunks = _buffer[.._length] };
    }

    private void CloseChunk()
    {
        if (!_open)
        {
            return;
        }

        // Null octet(s) to the next 32-bit boundary; at least one (§6.5). Room was kept by TryAddItem/TryBeginChunk.
        int end = (_length + 1 + 3) & ~3;
        _buffer[_length..end].Clear();
        _length = end;
        _open = false;
    }
}
