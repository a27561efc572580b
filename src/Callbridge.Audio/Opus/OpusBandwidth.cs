namespace Callbridge.Audio.Opus;

/// <summary>Audio bandwidths of Opus (opus_defines.h OPUS_BANDWIDTH_*; RFC 6716 §2).</summary>
public enum OpusBandwidth
{
    /// <summary>4 kHz audio bandwidth (8 kHz sampling): telephone band, SILK or CELT.</summary>
    Narrowband = 1101,

    /// <summary>6 kHz, SILK only.</summary>
    Mediumband = 1102,

    /// <summary>8 kHz (16 kHz sampling): wideband speech, SILK or CELT.</summary>
    Wideband = 1103,

    /// <summary>12 kHz.</summary>
    SuperWideband = 1104,

    /// <summary>20 kHz, the encoder's default limit.</summary>
    Fullband = 1105,
}
