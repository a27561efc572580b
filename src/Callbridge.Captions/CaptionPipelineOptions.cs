using Callbridge.Audio.Resampling;

namespace Callbridge.Captions;

/// <summary>Settings of a <see cref="CaptionPipeline"/> (the recognizer's own settings live in RecognizerOptions).</summary>
public sealed record CaptionPipelineOptions
{
    /// <summary>
    /// Longest RTP gap (DTX, a muted or stalled sender) filled with silence, so that result times stay on the
    /// sender's clock. Longer gaps re-anchor the speaker's clock instead of feeding the recognizer minutes of
    /// zeros. 10 s matches the recognizer's longest utterance.
    /// </summary>
    public TimeSpan MaxGapFill { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Lost frames right before a packet are concealed by the Opus decoder (PLC) up to this long; beyond, silence.</summary>
    public TimeSpan MaxConcealment { get; init; } = TimeSpan.FromMilliseconds(60);

    /// <summary>A refused or failed speaker asks for a recognizer stream again at most this often (opening may throw).</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Audio held for a speaker while the recognizer stream opens (a decoder may load its model for seconds on a
    /// busy host). Beyond it audio is dropped with an "audio dropped" notice. 10 s covers a cold model load.
    /// </summary>
    public TimeSpan MaxOpeningBacklog { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>speexdsp quality for 48 -> 16 kHz; its default 4 is transparent for speech recognition.</summary>
    public int ResamplerQuality { get; init; } = SpeexResampler.DefaultQuality;

    internal void Validate()
    {
        if (MaxGapFill < TimeSpan.Zero || MaxGapFill > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxGapFill), MaxGapFill, "Must be 0..10 min.");
        }

        if (MaxConcealment < TimeSpan.Zero || MaxConcealment > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxConcealment), MaxConcealment, "Must be 0..1 s.");
        }

        if (RetryInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryInterval), RetryInterval, "Must be positive.");
        }

        if (MaxOpeningBacklog < TimeSpan.FromSeconds(1) || MaxOpeningBacklog > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentOutOfRangeException(nameof(MaxOpeningBacklog), MaxOpeningBacklog, "Must be 1 s..10 min.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(ResamplerQuality);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ResamplerQuality, 10);
    }
}
