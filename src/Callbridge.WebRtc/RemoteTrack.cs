using Callbridge.FrameCrypto.Classification;
using Callbridge.Media;
using Callbridge.Rtcp;
using Callbridge.Rtp;

namespace Callbridge.WebRtc;

/// <summary>
/// One received m-line: its routing keys from the SDP (mid, payload type, SSRCs) and its receive pipeline
/// (jitter buffer, then the Opus or VP8 depacketizer, then a ciphertext detector over every complete frame).
/// Only the connection's loop touches the pipeline; the counters and the verdict may be read from any thread.
/// </summary>
public sealed class RemoteTrack : IDisposable
{
    // Largest Opus packet (RFC 6716 §3.2.1: 1275 bytes per frame; one frame per RTP packet in practice).
    private const int MaxOpusPacket = 1500;

    private readonly JitterBuffer _jitter;
    private readonly OpusDepacketizer? _opus;
    private readonly Vp8Depacketizer? _vp8;
    private readonly byte[]? _opusFrame;
    private readonly TimeProvider _time;
    private readonly EncryptionDetector _detector;
    private readonly NackGenerator? _nack;
    private readonly MediaKind _mediaKind;
    private bool _lastHadTrailer;
    private uint _lastTrailerSsrc;
    private ReceiveStatistics? _statistics;
    private SenderClockMap _senderClock;
    private long _packets;
    private long _frames;
    private long _keyFrames;
    private long _senderReports;
    private long _framesDropped;
    private long _nacksSent;
    private long _firstFrameAt;
    private int _encryption;
    private long _encryptedAfterTicks = -1;

    internal RemoteTrack(string mid, TrackKind kind, byte payloadType, int clockRate, IReadOnlyList<uint> ssrcs, JitterBufferOptions jitter, TimeProvider time, NackOptions? nack = null)
    {
        _nack = nack is null ? null : new NackGenerator(nack, time);
        Mid = mid;
        Kind = kind;
        PayloadType = payloadType;
        ClockRate = clockRate;
        Ssrcs = ssrcs;
        _time = time;
        _jitter = new JitterBuffer(jitter, time);
        _senderClock = new SenderClockMap(clockRate);
        _mediaKind = kind == TrackKind.Audio ? MediaKind.Audio : MediaKind.Video;
        _detector = new EncryptionDetector(_mediaKind);
        if (kind == TrackKind.Audio)
        {
            _opus = new OpusDepacketizer();
            _opusFrame = new byte[MaxOpusPacket];
        }
        else
        {
            _vp8 = new Vp8Depacketizer();
        }
    }

    public string Mid { get; }

    public TrackKind Kind { get; }

    /// <summary>The payload type our answer accepted (Opus or VP8); packets with others are not this track's media.</summary>
    public byte PayloadType { get; }

    public int ClockRate { get; }

    /// <summary>SSRCs the remote description announced for this m-line (may be empty: then mid or payload type routes).</summary>
    public IReadOnlyList<uint> Ssrcs { get; }

    /// <summary>SSRC of the media actually received, 0 before the first packet.</summary>
    public uint MediaSsrc { get; private set; }

    public long PacketsReceived => Volatile.Read(ref _packets);

    public long FramesReceived => Volatile.Read(ref _frames);

    public long KeyFramesReceived => Volatile.Read(ref _keyFrames);

    /// <summary>Frames the depacketizer dropped (loss before a key frame, or a broken frame).</summary>
    public long FramesDropped => Volatile.Read(ref _framesDropped);

    public long SenderReportsReceived => Volatile.Read(ref _senderReports);

    /// <summary>Generic NACK requests (RFC 4585 §6.2.1) sent for this track, one per missing packet asked for.</summary>
    public long NacksSent => Volatile.Read(ref _nacksSent);

    /// <summary>The sender's wall clock for an RTP timestamp, from its last SR (RFC 3550 §6.4.1); false before one came.</summary>
    public bool TryGetSenderTime(uint rtpTimestamp, out DateTimeOffset time) => _senderClock.TryGetWallClock(rtpTimestamp, out time);

    public JitterBufferStatistics JitterStatistics => _jitter.Statistics;

    /// <summary>RFC 3550 §A.3 cumulative loss of the media SSRC (expected minus received).</summary>
    public long PacketsLost => _statistics?.PacketsLost ?? 0;

    /// <summary>RFC 3550 §A.8 interarrival jitter, as time.</summary>
    public TimeSpan Jitter => _statistics is { } s ? TimeSpan.FromSeconds((double)s.Jitter / ClockRate) : TimeSpan.Zero;

    /// <summary>
    /// The ciphertext detector's current verdict over this track's frames: Unknown until a run of frames
    /// agrees, then Clear, JFrame or SFrame (a later run of another kind replaces it).
    /// </summary>
    public FrameFormat Encryption => (FrameFormat)Volatile.Read(ref _encryption);

    /// <summary>Whether the current verdict is end-to-end encrypted media (JFrame or SFrame).</summary>
    public bool IsEncrypted => Encryption is FrameFormat.JFrame or FrameFormat.SFrame;

    /// <summary>
    /// Time from the first frame to the first encrypted verdict; null while the track was never judged
    /// encrypted. Stays set if a later run of clear frames turns the verdict back to Clear.
    /// </summary>
    public TimeSpan? EncryptionDetectedAfter
    {
        get
        {
            long ticks = Volatile.Read(ref _encryptedAfterTicks);
            return ticks < 0 ? null : TimeSpan.FromTicks(ticks);
        }
    }

    internal bool HasStatistics => _statistics is not null;

    /// <summary>
    /// Set when the VP8 depacketizer dropped or discarded a frame (loss, or media that began before our
    /// keys): the decoder needs a key frame. Cleared by the next key frame.
    /// </summary>
    internal bool KeyFrameWanted { get; private set; }

    /// <summary>Loop timestamp before which no automatic PLI is sent for this track.</summary>
    internal long NextKeyFrameRequest { get; set; }

    /// <summary>Stores an unprotected RTP packet and delivers every frame that is complete in order.</summary>
    internal void OnRtp(scoped in RtpPacket packet, ReadOnlySpan<byte> datagram, ReceivedFrameHandler? handler, TrackEncryptedHandler? encrypted)
    {
        if (_statistics is null)
        {
            MediaSsrc = packet.Ssrc;
            _statistics = new ReceiveStatistics(packet.Ssrc, ClockRate, _time);
        }

        _statistics.OnPacket(packet.SequenceNumber, packet.Timestamp);
        _nack?.OnPacket(packet.SequenceNumber);
        Interlocked.Increment(ref _packets);
        if (_jitter.WouldDiscardHeld(datagram))
        {
            // A jump beyond the ring would start the buffer over: what it holds was received and is delivered
            // first, with the gaps before it given up on.
            Drain(handler, encrypted, giveUpOnGaps: true);
        }

        _jitter.Insert(datagram);
        Drain(handler, encrypted);
    }

    /// <summary>Releases packets held behind a gap the jitter buffer gave up on (every held packet when <paramref name="giveUpOnGaps"/>).</summary>
    internal void Drain(ReceivedFrameHandler? handler, TrackEncryptedHandler? encrypted, bool giveUpOnGaps = false)
    {
        while (_jitter.TryRelease(out JitterBufferPacket released, giveUpOnGaps))
        {
            if (RtpPacket.TryParse(released.Data, out RtpPacket packet, out _) != RtpParseError.None)
            {
                continue;
            }

            if (_opus is not null)
            {
                if (_opus.Depacketize(packet, _opusFrame, out FrameInfo info) == DepacketizeResult.Frame)
                {
                    Deliver(handler, encrypted, info, _opusFrame.AsSpan(0, info.Length));
                }
            }
            else
            {
                DepacketizeResult result = _vp8!.Push(packet);
                if (result == DepacketizeResult.Frame)
                {
                    Deliver(handler, encrypted, _vp8.LastFrame, _vp8.Frame);
                }
                else if (result is DepacketizeResult.FrameDropped or DepacketizeResult.FrameTooLarge)
                {
                    Interlocked.Increment(ref _framesDropped);
                    KeyFrameWanted = true;
                }
                else if (result == DepacketizeResult.Discarded)
                {
                    KeyFrameWanted = true;
                }
            }
        }
    }

    internal void OnSenderReport(ulong ntpTimestamp, uint rtpTimestamp)
    {
        _senderClock.Update(ntpTimestamp, rtpTimestamp);
        _statistics?.OnSenderReport(ntpTimestamp);
        Interlocked.Increment(ref _senderReports);
    }

    internal void CountNacksSent(int count) => Interlocked.Add(ref _nacksSent, count);

    /// <summary>Whether lost packets of this track are NACKed (the offer signalled a=rtcp-fb nack, RFC 4585 §4.2).</summary>
    public bool NacksEnabled => _nack is not null;

    /// <summary>Packets that arrived after having been NACKed (or merely late).</summary>
    public long PacketsRecovered => _nack?.Recovered ?? 0;

    /// <summary>
    /// The sequence numbers to NACK now (see <see cref="NackGenerator.GetRequests"/>). A gap too large to
    /// repair asks for a key frame instead.
    /// </summary>
    internal int TakeNackRequests(Span<ushort> destination)
    {
        if (_nack is null)
        {
            return 0;
        }

        if (_nack.KeyFrameNeeded)
        {
            _nack.KeyFrameNeeded = false;
            KeyFrameWanted = Kind == TrackKind.Video;
        }

        return _nack.GetRequests(destination);
    }

    internal ReportBlock CreateReportBlock() => _statistics!.CreateReportBlock();

    public void Dispose()
    {
        _jitter.Dispose();
        _vp8?.Dispose();
    }

    private void Deliver(ReceivedFrameHandler? handler, TrackEncryptedHandler? encrypted, FrameInfo info, ReadOnlySpan<byte> data)
    {
        if (Interlocked.Increment(ref _frames) == 1)
        {
            _firstFrameAt = _time.GetTimestamp();
        }

        bool looksEncrypted = Detect(encrypted, data);
        if (info.IsKeyFrame && Kind == TrackKind.Video)
        {
            Interlocked.Increment(ref _keyFrames);
            KeyFrameWanted = false;
        }

        handler?.Invoke(new ReceivedFrame { Track = this, Info = info, Data = data, LooksEncrypted = looksEncrypted });
    }

    /// <summary>
    /// Feeds the detector (keyless, allocation-free), reports the first encrypted verdict once, and returns
    /// whether this frame on its own looks like ciphertext (see <see cref="ReceivedFrame.LooksEncrypted"/>).
    /// </summary>
    private bool Detect(TrackEncryptedHandler? encrypted, ReadOnlySpan<byte> data)
    {
        FrameClassification c = FrameClassifier.Classify(data, _mediaKind);
        FrameFormat verdict = _detector.Observe(in c);
        bool trailer = c.Has(FrameEvidence.JFrameTrailer);
        FrameEvidence codec = _mediaKind == MediaKind.Audio ? FrameEvidence.ClearOpus : FrameEvidence.ClearVp8;
        bool looksEncrypted = verdict is FrameFormat.JFrame or FrameFormat.SFrame
            || (c.Evidence & codec) == 0
            || (trailer && _lastHadTrailer && c.JFrameIvSsrc == _lastTrailerSsrc);
        _lastHadTrailer = trailer;
        _lastTrailerSsrc = c.JFrameIvSsrc;
        if ((int)verdict == _encryption)
        {
            return looksEncrypted;
        }

        Volatile.Write(ref _encryption, (int)verdict);
        if (verdict is FrameFormat.JFrame or FrameFormat.SFrame && _encryptedAfterTicks < 0)
        {
            TimeSpan after = _time.GetElapsedTime(_firstFrameAt);
            Volatile.Write(ref _encryptedAfterTicks, after.Ticks);
            encrypted?.Invoke(this, verdict, after);
        }

        return looksEncrypted;
    }
}
