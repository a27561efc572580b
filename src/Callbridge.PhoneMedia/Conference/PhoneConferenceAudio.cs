using Callbridge.Audio.Opus;
using Callbridge.Conference;

namespace Callbridge.PhoneMedia;

/// <summary>
/// Audio between a phone call and the conference, at the phone's 8 kHz all the way. Caller to conference: the
/// RTP session's 20 ms frames at 8 kHz go straight into an Opus encoder opened at 8 kHz, gathered into packets
/// of <see cref="PhoneConferenceAudioOptions.OpusPacketMilliseconds"/> (timed on the 48 kHz RTP clock like any
/// Opus packet, RFC 7587) and out through <see cref="Publication"/>; in a shared room the same frames go to the
/// room's other calls as they are (<see cref="RoomAudioMember.Speak"/>). Conference to caller: every 20 ms the
/// call's <see cref="RoomAudioMember"/> sums an 8 kHz frame of every conference track and local caller except
/// the caller's own, decoded by a <see cref="RoomAudio"/>: the call's own (standalone: it is the conference sink
/// itself) or one shared by every call in the room. Nothing is allocated per frame.
/// </summary>
/// <remarks>
/// Why no 48 kHz stage: G.711 carries nothing above 4 kHz, so resampling it to 48 kHz before the encoder (and
/// the mix back down after the decoders) only spent CPU; libopus codes 8 kHz input as narrowband and
/// decodes any Opus stream to 8 kHz with its own band limit, which is what the phone can play.
/// Threads: <see cref="OnPhoneAudio"/> and <see cref="Read"/> come from the media clock, one call at a time, in
/// that order each frame; the sink calls (standalone) from the media core's receive loop, and the room's lock
/// guards what they share with <see cref="Read"/>.
/// </remarks>
public sealed class PhoneConferenceAudio : IPhoneAudioSource, IPhoneAudioSink, IConferenceMediaSink, IDisposable
{
    /// <summary>20 ms at 8 kHz: the phone's frame, and the frame of every 8 kHz stage here.</summary>
    public const int FrameSamples = PhoneRtpSession.FrameSamples;

    /// <summary>The same 20 ms on the Opus RTP clock, which is 48 kHz whatever the coded rate (RFC 7587 §4.1).</summary>
    public const int RtpSamplesPerFrame = OpusEncoder.FrameSamples48k;

    /// <summary>The Opus packet durations the caller's audio may use: 20, 40 or 60 ms (whole phone frames Opus can code as one packet).</summary>
    private static bool IsValidPacketMilliseconds(int milliseconds) => milliseconds is 20 or 40 or 60;

    /// <summary>Room for one Opus packet at our bitrates (a 24 kbit/s 20 ms packet is ~60 bytes).</summary>
    private const int MaxPacketBytes = 1275;

    private readonly OpusEncoder _encoder;
    private readonly RoomAudio? _ownRoom;
    private readonly RoomAudioMember _member;
    private readonly int _framesPerPacket;
    private readonly short[] _callerAudio;
    private readonly short[] _mixFrame = new short[FrameSamples];
    private int _framesGathered;
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
        if (!IsValidPacketMilliseconds(options.OpusPacketMilliseconds))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.OpusPacketMilliseconds, "OpusPacketMilliseconds must be 20, 40 or 60.");
        }

        if (member is null)
        {
            _ownRoom = new RoomAudio(options);
            member = _ownRoom.AddMember();
        }

        _member = member;
        _framesPerPacket = options.OpusPacketMilliseconds / 20;
        _callerAudio = new short[_framesPerPacket * FrameSamples];
        _encoder = CreateCallerEncoder(options);
    }

    /// <summary>The encoder of the caller's audio as this path opens it: 8 kHz in, the options' application, bitrate, complexity and bandwidth.</summary>
    public static OpusEncoder CreateCallerEncoder(PhoneConferenceAudioOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new OpusEncoder(PhoneRtpSession.ClockRate, 1, options.OpusApplication)
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

    /// <summary>The caller's 20 ms at 8 kHz; each packet's worth of them goes out as one Opus packet.</summary>
    public void OnPhoneAudio(ReadOnlySpan<short> frame8k, bool concealed)
    {
        // Opus takes whole frames only: a short one is padded with silence, a long one cut to 20 ms.
        Span<short> slot = _callerAudio.AsSpan(_framesGathered * FrameSamples, FrameSamples);
        int n = Math.Min(frame8k.Length, FrameSamples);
        frame8k[..n].CopyTo(slot);
        slot[n..].Clear();
        if (_ownRoom is null)
        {
            // A shared room: the bridge's other callers in it hear this one from here, not back through the SFU.
            _member.Speak(slot);
        }

        if (++_framesGathered < _framesPerPacket)
        {
            return;
        }

        _framesGathered = 0;
        OpusError error = _encoder.TryEncode(_callerAudio, _packet, out int length);
        if (error != OpusError.Ok)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        Interlocked.Increment(ref _encoded);
        if (Publication is not { } publication || !publication.TrySendOpus(_packet.AsSpan(0, length), _framesPerPacket * RtpSamplesPerFrame))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Everyone but the caller, 20 ms at 8 kHz.</summary>
    public int Read(Span<short> frame8k)
    {
        if (frame8k.Length >= FrameSamples)
        {
            _member.Read(frame8k);
            return FrameSamples;
        }

        _member.Read(_mixFrame);
        _mixFrame.AsSpan(0, frame8k.Length).CopyTo(frame8k);
        return frame8k.Length;
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
        _encoder.Dispose();
    }
}
