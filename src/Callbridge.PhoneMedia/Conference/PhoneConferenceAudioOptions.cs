using Callbridge.Audio.Opus;

namespace Callbridge.PhoneMedia;

/// <summary>Settings of the audio path between one phone call and the conference.</summary>
public sealed record PhoneConferenceAudioOptions
{
    /// <summary>
    /// Conference audio tracks and the room's own phone callers mixed for the phone at once; further ones are not
    /// heard. 16 covers a large meeting's active speakers.
    /// </summary>
    public int MaxTracks { get; init; } = 16;

    /// <summary>
    /// Opus bitrate for the caller's audio, bit/s. G.711 carries 300-3400 Hz. At 24 kbit/s the low-delay layer codes the
    /// prompts' speech closer than SILK does (band log-spectral distance 0.65 dB); 12 kbit/s is far worse
    /// (1.78 dB), 32 kbit/s closer still (0.36 dB) for a third more bandwidth per caller.
    /// </summary>
    public int OpusBitrate { get; init; } = 24000;

    /// <summary>
    /// Opus encoder complexity 0-10. With the low-delay (CELT) layer on telephone speech, 0 costs about 40 % of
    /// what the VoIP layer (SILK) cost at 1 and codes as closely (see <see cref="OpusApplication"/>); libopus' default
    /// is 10. The encoder is the largest cost a bridged call has.
    /// </summary>
    public int OpusComplexity { get; init; } = 0;

    /// <summary>
    /// The encoder's application (OPUS_APPLICATION_*), which picks its codec layer for the caller's audio.
    /// Restricted low delay codes with CELT alone. On the prompts' speech through A-law (the phone media bench's
    /// <c>--encoder-settings</c>, 40 ms packets at 24 kbit/s) it costs 12.5 µs per 20 ms at complexity 0 against
    /// 30.1 µs for SILK (<see cref="OpusApplication.Voip"/>) at complexity 1, codes closer to the input (band
    /// log-spectral distance 0.65 dB against 0.91 dB), and looks ahead 2.5 ms instead of 6.5 ms. SILK's strengths are
    /// speech below 16 kbit/s and in-band FEC, and the bridge uses neither (24 kbit/s, no FEC). Every Opus
    /// decoder takes either layer (RFC 6716 §3.1), so browsers hear it as they hear any Opus.
    /// </summary>
    public OpusApplication OpusApplication { get; init; } = OpusApplication.RestrictedLowDelay;

    /// <summary>
    /// Coded bandwidth limit for the caller's audio. G.711 carries nothing above 4 kHz, so narrowband loses
    /// nothing and no bits go to empty bands; an encoder fed at 8 kHz codes no more anyway.
    /// </summary>
    public OpusBandwidth OpusMaxBandwidth { get; init; } = OpusBandwidth.Narrowband;

    /// <summary>
    /// Duration of the caller's Opus packets towards the conference: 20, 40 or 60 ms. 40 ms halves the packets
    /// the bridge, the SFU and every subscriber handle per caller (each one costs system calls and wake-ups on
    /// every hop; Janus's CPU fell by a third at 100 calls) for 20 ms more delay on the caller's way in: the
    /// encoder waits for a second phone frame. WebRTC receivers take any of them (RFC 7587 §4.2).
    /// </summary>
    public int OpusPacketMilliseconds { get; init; } = 40;

    /// <summary>Decoded 20 ms frames kept per conference track before the oldest are dropped (5 = 100 ms of catch-up).</summary>
    public int MaxQueuedFrames { get; init; } = 5;
}
