using System.Buffers.Binary;
using System.Text;

namespace Callbridge.Audio.Ogg;

/// <summary>
/// Streaming Ogg Opus writer (RFC 7845). Writes the identification header (OpusHead) alone on the
/// first page and the comment header (OpusTags) on the second, then audio packets with granule
/// positions counted in 48 kHz samples including the pre-skip. A page goes out whenever it holds
/// <see cref="MaxPageDuration"/> of audio or when <see cref="Flush"/> is called, so a crash loses at
/// most that much. <see cref="Dispose"/> closes the stream with an end-of-stream page.
/// Not thread-safe; allocates nothing per packet.
/// </summary>
public sealed class OggOpusWriter : IDisposable
{
    /// <summary>Granule positions always count 48 kHz samples (RFC 7845 section 4).</summary>
    public const int GranuleRate = 48000;

    /// <summary>
    /// One second per page: bounds what a crash or a reader waiting for a page can lose, while keeping
    /// page overhead (27 bytes + lacing) under 2% at 16 kbit/s.
    /// </summary>
    public static readonly TimeSpan DefaultMaxPageDuration = TimeSpan.FromSeconds(1);

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly OggPageWriter _pages;
    private readonly long _maxPageSamples;
    private long _granule;
    private long _pageStartGranule;
    private long _audioSamples;
    private bool _disposed;

    /// <param name="stream">Destination; need not be seekable.</param>
    /// <param name="channels">1 or 2 (channel mapping family 0, RFC 7845 section 5.1.1).</param>
    /// <param name="preSkip">Encoder lookahead in 48 kHz samples, to be discarded by players.</param>
    /// <param name="inputSampleRate">Original rate, informational only (RFC 7845 section 5.1).</param>
    public OggOpusWriter(Stream stream, int channels, int preSkip, int inputSampleRate = 48000, uint serial = 0x43424F47,
        string vendor = "Callbridge", TimeSpan? maxPageDuration = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(preSkip);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(preSkip, ushort.MaxValue);
        _stream = stream;
        _leaveOpen = leaveOpen;
        _pages = new OggPageWriter(stream, serial);
        MaxPageDuration = maxPageDuration ?? DefaultMaxPageDuration;
        _maxPageSamples = (long)(MaxPageDuration.TotalSeconds * GranuleRate);
        PreSkip = preSkip;
        _granule = preSkip;
        _pageStartGranule = preSkip;

        Span<byte> head = stackalloc byte[19];
        WriteOpusHead(head, channels, preSkip, inputSampleRate);
        _pages.AddPacket(head, 0);
        _pages.Flush();

        byte[] tags = BuildOpusTags(vendor);
        _pages.AddPacket(tags, 0);
        _pages.Flush();
    }

    public TimeSpan MaxPageDuration { get; }

    public int PreSkip { get; }

    /// <summary>Granule position after the last packet written.</summary>
    public long GranulePosition => _granule;

    public uint PagesWritten => _pages.PagesWritten;

    /// <summary>Appends one Opus packet holding <paramref name="samples48k"/> samples per channel at 48 kHz.</summary>
    public void WritePacket(ReadOnlySpan<byte> packet, int samples48k)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(samples48k);
        // Flush before adding, so the last packet always sits on the pending page for end trimming.
        if (_granule - _pageStartGranule >= _maxPageSamples)
        {
            _pages.Flush();
            _pageStartGranule = _granule;
        }

        _granule += samples48k;
        _audioSamples += samples48k;
        _pages.AddPacket(packet, _granule);
    }

    /// <summary>Writes the pending page now (live streaming, or before a checkpoint).</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _pages.Flush();
        _pageStartGranule = _granule;
    }

    /// <summary>
    /// Ends the stream. When <paramref name="originalSamples48k"/> is given and shorter than what the
    /// packets hold, the final granule is reduced so decoders drop the padding (RFC 7845 section 4.4).
    /// </summary>
    public void Complete(long? originalSamples48k = null)
    {
        if (_disposed)
        {
            return;
        }

        if (originalSamples48k is long original && original < _audioSamples)
        {
            _pages.TrySetPendingGranule(PreSkip + original);
        }

        _pages.Flush(endOfStream: true);
        _disposed = true;
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    public void Dispose() => Complete();

    private static void WriteOpusHead(Span<byte> head, int channels, int preSkip, int inputSampleRate)
    {
        // RFC 7845 section 5.1: magic, version 1, channel count, pre-skip (LE u16), input rate (LE u32),
        // output gain (Q7.8 dB, 0), channel mapping family 0 (mono/stereo, no table).
        "OpusHead"u8.CopyTo(head);
        head[8] = 1;
        head[9] = (byte)channels;
        BinaryPrimitives.WriteUInt16LittleEndian(head[10..], (ushort)preSkip);
        BinaryPrimitives.WriteUInt32LittleEndian(head[12..], (uint)inputSampleRate);
        BinaryPrimitives.WriteInt16LittleEndian(head[16..], 0);
        head[18] = 0;
    }

    private static byte[] BuildOpusTags(string vendor)
    {
        // RFC 7845 section 5.2: magic, vendor string length + UTF-8 bytes, user comment count (0).
        byte[] vendorBytes = Encoding.UTF8.GetBytes(vendor);
        byte[] tags = new byte[8 + 4 + vendorBytes.Length + 4];
        "OpusTags"u8.CopyTo(tags);
        BinaryPrimitives.WriteUInt32LittleEndian(tags.AsSpan(8), (uint)vendorBytes.Length);
        vendorBytes.CopyTo(tags, 12);
        BinaryPrimitives.WriteUInt32LittleEndian(tags.AsSpan(12 + vendorBytes.Length), 0);
        return tags;
    }
}
