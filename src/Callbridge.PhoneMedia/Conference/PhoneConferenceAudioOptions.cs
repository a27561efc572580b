using Callbridge.Audio.Opus;

namespace Callbridge.PhoneMedia;

/// <summary>Settings of the audio path between one phone call and the conference.</summary>
public sealed record PhoneConferenceAudioOptions
{
    /// <summary>Conference audio tracks mixed for the phone at once; further tracks are not heard. 16 covers a large meeting's active speakers.</summary>
    public int MaxTracks { get; init; } = 16;

    /// <summary>
    /// Opus bitrate for the caller's audio, bit/s. G.711 carries 300-3400 Hz, which narrowband SILK codes
    /// transparently below 20 kbit/s; 24 kbit/s leaves margin for the G.711 coding noise, more would only
    /// spend bandwidth on it.
    /// </summary>
    public int OpusBitrate { get; init; } = 24000;

    /// <summary>
    /// Opus encoder complexity 0-10. On telephone speech at 8 kHz, 1 costs half the CPU of 5 and a quarter of
    /// libopus' default 10, and its output is as close to the input (band log-spectral distance 0.92 dB against
    /// 0.91 dB for both; halving the bitrate instead gives 1.87 dB): measured by the phone media bench's
    /// <c>--encoder-settings</c>. The encoder is the largest cost a bridged call has.
    /// </summary>
    public int OpusComplexity { get; init; } = 1;

    /// <summary>
    /// Coded bandwidth limit for the caller's audio. G.711 carries nothing above 4 kHz, so narrowband loses
    /// nothing and keeps libopus in its SILK-only mode, the cheapest one; an encoder fed at 8 kHz codes no more anyway.
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
