using System.Buffers.Binary;

namespace Callbridge.Audio.Wav;

/// <summary>
/// Streaming writer of 16-bit PCM WAV. The header goes out first with "unknown" sizes; on
/// <see cref="Dispose"/> the real sizes are patched in when the stream can seek (a pipe keeps
/// 0xFFFFFFFF, which ffmpeg and sox read as "until end of stream").
/// </summary>
public sealed class WavWriter : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly long _headerPosition;
    private readonly byte[] _scratch = new byte[8192];
    private long _dataBytes;
    private bool _disposed;

    public WavWriter(Stream stream, WavFormat format, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (format.SampleRate <= 0 || format.Channels <= 0 || format.Channels > ushort.MaxValue / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(format));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        Format = format;
        _headerPosition = stream.CanSeek ? stream.Position : 0;
        Span<byte> header = stackalloc byte[WavHeader.CanonicalLength];
        new WavHeader(format, null).WriteTo(header);
        stream.Write(header);
    }

    public WavFormat Format { get; }

    /// <summary>Samples written so far, all channels counted.</summary>
    public long SamplesWritten => _dataBytes / 2;

    public static WavWriter Create(string path, WavFormat format) => new(File.Create(path), format);

    /// <summary>Appends interleaved samples.</summary>
    public void Write(ReadOnlySpan<short> samples)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!samples.IsEmpty)
        {
            int count = Math.Min(samples.Length, _scratch.Length / 2);
            for (int i = 0; i < count; i++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(_scratch.AsSpan(i * 2), samples[i]);
            }

            _stream.Write(_scratch, 0, count * 2);
            _dataBytes += count * 2;
            samples = samples[count..];
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_stream.CanSeek && _dataBytes + 36 <= uint.MaxValue)
        {
            long end = _stream.Position;
            Span<byte> size = stackalloc byte[4];
            _stream.Position = _headerPosition + 4;
            BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)(_dataBytes + 36));
            _stream.Write(size);
            _stream.Position = _headerPosition + 40;
            BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)_dataBytes);
            _stream.Write(size);
            _stream.Position = end;
        }

        _stream.Flush();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
