namespace Callbridge.Speech.Vad;

/// <summary>
/// Thresholds of <see cref="EnergyVad"/>. A 10 ms frame is voiced when its RMS level is at least
/// <see cref="MinSpeechDbfs"/> and at least <see cref="MarginOverNoiseDb"/> above the tracked noise floor.
/// </summary>
public sealed record EnergyVadOptions
{
    /// <summary>Frame length: 10 ms, the analysis hop of the PocketSphinx front end and of most VADs.</summary>
    public TimeSpan Frame { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Absolute floor: -50 dBFS RMS is well under conversational speech at typical WebRTC gain
    /// (-30 to -15 dBFS) and above the comfort noise and line hiss of PSTN legs (-60 to -70 dBFS).
    /// </summary>
    public double MinSpeechDbfs { get; init; } = -50;

    /// <summary>Voiced frames stand 10 dB or more above the noise floor: steady noise never triggers.</summary>
    public double MarginOverNoiseDb { get; init; } = 10;

    /// <summary>Three consecutive voiced frames (30 ms) start speech, so clicks and pops do not.</summary>
    public int OnsetFrames { get; init; } = 3;

    /// <summary>
    /// Speech ends after this much continuous unvoiced audio. 500 ms bridges the pauses inside a
    /// sentence (commas, stop consonants) while closing the utterance soon after the speaker stops.
    /// </summary>
    public TimeSpan Hangover { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The noise floor never goes below this, so digital silence does not make every faint sound "speech".</summary>
    public double NoiseFloorMinDbfs { get; init; } = -90;

    /// <summary>
    /// Upward tracking of the noise floor per frame (fraction of the gap closed): 0.01 per 10 ms is a
    /// 1 s time constant, so steady noise stops counting as speech within about 2 s, while the pauses
    /// and closures inside speech (which pull the floor straight down) keep speech itself from lifting it.
    /// </summary>
    public double NoiseRiseRate { get; init; } = 0.01;
}
