namespace Callbridge.Audio.Opus;

/// <summary>OPUS_APPLICATION_* (opus_defines.h).</summary>
public enum OpusApplication
{
    /// <summary>Speech: favours intelligibility, enables the SILK layer.</summary>
    Voip = 2048,
    Audio = 2049,
    RestrictedLowDelay = 2051,
}
