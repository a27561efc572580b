using System.Buffers;
using System.Buffers.Binary;

namespace Callbridge.Audio.Wav;

/// <summary>
/// Streaming reader of 16-bit PCM WAV: parses the header once, then hands out interleaved samples in
/// caller-sized blocks. Reads only what it needs from the stream (works on pipes).
/// </summary>
public sealed class WavReader : IDisposable
{
    /// <summary>Headers longer than this (huge LIST/metadata chunks before "data") are rejected.</summary>
    private const int MaxHeaderBytes = 1 << 20;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly byte[] _buffer;
    private int _bufferStart;
    private int _bufferEnd;
    private long _remainingBytes;

    private WavReader(Stream stream, bool leaveOpen, WavHeader header, byte[] buffer, int start, int end)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        Header = header;
        _buffer = buffer;
        _bufferStart = start;
        _bufferEnd = end;
        _remainingBytes = header.DataLength ?? long.MaxValue;
    }

    public WavHeader Header { get; }

    public WavFormat Format => Header.Format;

    /// <summary>Reads the header; a malformed file gives <see cref="WavFormatException"/> with its <see cref="WavError"/>.</summary>
    public static WavReader Open(Stream stream, bool leaveOpen = false)
    {
        WavError error = TryOpen(stream, leaveOpen, out WavReader? reader);
        return error == WavError.None ? reader! : throw new WavFormatException(error);
    }

    public static WavReader Open(string path) => Open(File.OpenRead(path), leaveOpen: false);

    public static WavError TryOpen(Stream stream, bool leaveOpen, out WavReader? reader)
    {
        ArgumentNullException.ThrowIfNull(stream);
        reader = null;
        byte[] buffer = new byte[8192];
        int filled = 0;
        while (true)
        {
            WavError error = WavHeader.TryParse(buffer.AsSpan(0, filled), out WavHeader header, out int consumed);
            if (error == WavError.None)
            {
                reader = new WavReader(stream, leaveOpen, header, buffer, consumed, filled);
                return WavError.None;
            }

            if (error != WavError.Truncated)
            {
                return error;
            }

            if (filled == buffer.Length)
            {
                if (buffer.Length >= MaxHeaderBytes)
                {
                    return WavError.MissingDataChunk;
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            int read = stream.Read(buffer, filled, buffer.Length - filled);
            if (read == 0)
            {
                return WavError.Truncated;
            }

            filled += read;
        }
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with interleaved samples; returns how many were read, 0 at
    /// the end of the data. A trailing odd byte is dropped.
    /// </summary>
    public int Read(Span<short> destination)
    {
        int total = 0;
        while (total < destination.Length && _remainingBytes >= 2)
        {
            if (_bufferEnd - _bufferStart < 2)
            {
                if (!Refill())
                {
                    break;
                }

                continue;
            }

            int available = (_bufferEnd - _bufferStart) / 2;
            int count = (int)Math.Min(Math.Min(available, destination.Length - total), _remainingBytes / 2);
            ReadOnlySpan<byte> bytes = _buffer.AsSpan(_bufferStart, count * 2);
            for (int i = 0; i < count; i++)
            {
                destination[total + i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.Slice(i * 2, 2));
            }

            _bufferStart += count * 2;
            _remainingBytes -= count * 2;
            total += count;
        }

        return total;
    }

    /// <summary>Reads every remaining sample (convenience for files and tests).</summary>
    public short[] ReadAll()
    {
        var all = new ArrayBufferWriter<short>();
        while (true)
        {
            Span<short> span = all.GetSpan(16384);
            int n = Read(span);
            if (n == 0)
            {
                return all.WrittenSpan.ToArray();
            }

            all.Advance(n);
        }
    }

    private bool Refill()
    {
        int leftover = _bufferEnd - _bufferStart;
        _buffer.AsSpan(_bufferStart, leftover).CopyTo(_buffer);
        _bufferStart = 0;
        _bufferEnd = leftover;
        int read = _stream.Read(_buffer, _bufferEnd, _buffer.Length - _bufferEnd);
        _bufferEnd += read;
        return read > 0;
    }

    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
