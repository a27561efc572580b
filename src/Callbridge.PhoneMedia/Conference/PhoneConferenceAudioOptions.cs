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

    /// <summary>Opus encoder complexity 0-10. 5 roughly halves the CPU of libopus' default 10 at no audible cost for narrowband speech.</summary>
    public int OpusComplexity { get; init; } = 5;

    /// <summary>
    /// Coded bandwidth limit for the caller's audio. G.711 carries nothing above 4 kHz, so narrowband loses
    /// nothing and keeps libopus in its SILK-only mode, the cheapest one. (An encoder fed at 8 kHz cannot code more anyway.)
    /// </summary>
    public OpusBandwidth OpusMaxBandwidth { get; init; } = OpusBandwidth.Narrowband;

    /// <summary>Decoded 20 ms frames kept per conference track before the oldest are dropped (5 = 100 ms of catch-up).</summary>
    public int MaxQueuedFrames { get; init; } = 5;
}
