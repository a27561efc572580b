using System.Buffers.Binary;

namespace Callbridge.Rtcp;

/// <summary>Walks SDES chunks (RFC 3550 §6.5); stops with <see cref="Malformed"/> when a chunk does not end inside the body.</summary>
public ref struct SdesChunkEnumerator
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly int _count;
    private int _index;

    public SdesChunkEnumerator(ReadOnlySpan<byte> body, int count)
    {
        _body = body;
        _count = count;
        _index = 0;
        Consumed = 0;
        Current = default;
        Malformed = false;
    }

    public SdesChunk Current { get; private set; }

    public bool Malformed { get; private set; }

    /// <summary>Bytes of the body used by the chunks walked so far.</summary>
    public int Consumed { get; private set; }

    public readonly SdesChunkEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        if (_index >= _count || Malformed)
        {
            return false;
        }

        var rest = _body[Consumed..];
        if (rest.Length < 4)
        {
            Malformed = true;
            return false;
        }

        // Items: type(8) length(8) text; a type of 0 ends the list (§6.5).
        int offset = 4;
        while (true)
        {
            if (offset >= rest.Length)
            {
                Malformed = true;
                return false;
            }

            if (rest[offset] == (byte)SdesItemType.End)
            {
                break;
            }

            if (offset + 2 > rest.Length || offset + 2 + rest[offset + 1] > rest.Length)
            {
                Malformed = true;
                return false;
            }

            offset += 2 + rest[offset + 1];
        }

        int itemsEnd = offset;
        // The null octet, then zeros up to the next 32-bit boundary.
        int chunkEnd = (offset + 1 + 3) & ~3;
        if (chunkEnd > rest.Length)
        {
            Malformed = true;
            return false;
        }

        Current = new SdesChunk { Ssrc = BinaryPrimitives.ReadUInt32BigEndian(rest), Items = rest[4..itemsEnd] };
        Consumed += chunkEnd;
        _index++;
        return true;
    }
}
