using Callbridge.Audio.Opus;
using Callbridge.Audio.Resampling;
using Callbridge.Conference;

namespace Callbridge.PhoneMedia;

/// <summary>
/// Audio between a phone call and the conference. Caller to conference: 8 kHz frames from the RTP session
/// are resampled to 48 kHz (speexdsp), Opus-encoded (20 ms) and sent through <see cref="Publication"/>.
/// Conference to caller: every 20 ms the call's <see cref="RoomAudioMember"/> sums a frame of every decoded
/// conference track except the caller's own, and the mix is resampled to 8 kHz and handed to the session.
/// The tracks are decoded by a <see cref="RoomAudio"/>: the call's own (standalone: it is the conference sink
/// itself) or one shared by every call in the room. Nothing is allocated per frame.
/// </summary>
/// <remarks>
/// Threads: <see cref="OnPhoneAudio"/> and <see cref="Read"/> come from the media clock, one call at a time, in
/// that order each frame; the sink calls (standalone) from the media core's receive loop, and the room's lock
/// guards what they share with <see cref="Read"/>.
/// </remarks>
public sealed class PhoneConferenceAudio : IPhoneAudioSource, IPhoneAudioSink, IConferenceMediaSink, IDisposable
{
    /// <summary>20 ms at 48 kHz, the conference side's frame.</summary>
    public const int FrameSamples48k = OpusEncoder.FrameSamples48k;

    /// <summary>Room for one Opus packet at our bitrates (a 24 kbit/s 20 ms packet is ~60 bytes).</summary>
    private const int MaxPacketBytes = 1275;

    private readonly SpeexResampler _up;
    private readonly SpeexResampler _down;
    private readonly OpusEncoder _encoder;
    private readonly RoomAudio? _ownRoom;
    private readonly RoomAudioMember _member;
    private readonly short[] _caller48 = new short[FrameSamples48k + 16];
    private readonly short[] _mix48 = new short[FrameSamples48k];
    private readonly short[] _phone8 = new short[PhoneRtpSession.FrameSamples + 16];
    private readonly byte[] _packet = new byte[MaxPacketBytes];
    private int _disposed;

    private long _encoded;
    private long _dropped;

    /// <summary>A call with its own conference sink: the conference's frames come to this object.</summary>
    public PhoneConferenceAudio(PhoneConferenceAudioOptions? options = null)
        : this(null, options ?? new PhoneConferenceAudioOptions())
    {
    }

    /// <summary>A call that hears a shared room through <paramref name="member"/>; the room gets the frames.</summary>
    public PhoneConferenceAudio(RoomAudioMember member)
        : this(member ?? throw new ArgumentNullException(nameof(member)), member.Room.Options)
    {
    }

    private PhoneConferenceAudio(RoomAudioMember? member, PhoneConferenceAudioOptions options)
    {
        if (member is null)
        {
            _ownRoom = new RoomAudio(options);
            member = _ownRoom.AddMember();
        }

        _member = member;
        _up = new SpeexResampler(1, PhoneRtpSession.ClockRate, 48000, options.ResamplerQuality);
        _down = new SpeexResampler(1, 48000, PhoneRtpSession.ClockRate, options.ResamplerQuality);
        _encoder = new OpusEncoder(48000, 1, OpusApplication.Voip)
        {
            Bitrate = options.OpusBitrate,
            Complexity = options.OpusComplexity,
            MaxBandwidth = options.OpusMaxBandwidth,
        };
    }

    /// <summary>Where the caller's Opus goes; null (before the conference publication exists) drops it.</summary>
    public IConferenceAudioPublication? Publication { get; set; }

    /// <summary>What this call hears the room through.</summary>
    public RoomAudioMember Member => _member;

    public PhoneConferenceAudioStatistics Statistics => _member.Room.StatisticsOf(_member, Interlocked.Read(ref _encoded), Interlocked.Read(ref _dropped));

    /// <summary>The caller's 20 ms at 8 kHz: to 48 kHz, out as one Opus packet.</summary>
    public void OnPhoneAudio(ReadOnlySpan<short> frame8k, bool concealed)
    {
        Span<short> caller = _caller48.AsSpan(0, FrameSamples48k);
        _up.Process(frame8k, _caller48, out _, out int written);
        // 8 kHz to 48 kHz is an integer ratio: 160 in gives 960 out; pad defensively if the filter held some back.
        caller[Math.Min(written, FrameSamples48k)..].Clear();

        OpusError error = _encoder.TryEncode(caller, _packet, out int length);
        if (error != OpusError.Ok)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        Interlocked.Increment(ref _encoded);
        if (Publication is not { } publication || !publication.TrySendOpus(_packet.AsSpan(0, length), FrameSamples48k))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Everyone but the caller, 20 ms at 8 kHz.</summary>
    public int Read(Span<short> frame8k)
    {
        _member.Read(_mix48);
        _down.Process(_mix48, _phone8, out _, out int written);
        int n = Math.Min(Math.Min(written, frame8k.Length), PhoneRtpSession.FrameSamples);
        _phone8.AsSpan(0, n).CopyTo(frame8k);
        return n;
    }

    /// <summary>A conference frame: audio tracks are decoded into the room; video and ciphertext are ignored.</summary>
    public void OnFrame(in ConferenceFrame frame) => _member.Room.OnFrame(frame);

    public void OnTrackStarted(PublishedTrack track) => _member.Room.OnTrackStarted(track);

    public void OnTrackEnded(PublishedTrack track, string reason) => _member.Room.OnTrackEnded(track, reason);

    /// <summary>An E2EE track cannot be decoded by a server: it is left out of the mix from now on.</summary>
    public void OnTrackEncrypted(PublishedTrack track, string format) => _member.Room.OnTrackEncrypted(track, format);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _member.Dispose();
        _ownRoom?.Dispose();
        _up.Dispose();
        _down.Dispose();
        _encoder.Dispose();
    }
}
