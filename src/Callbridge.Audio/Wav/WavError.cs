namespace Callbridge.Audio.Wav;

/// <summary>Why a RIFF/WAVE header was not accepted.</summary>
public enum WavError
{
    None = 0,
    /// <summary>The input ended before the header (up to the start of the data chunk) was complete.</summary>
    Truncated,
    /// <summary>The first four bytes are not "RIFF".</summary>
    NotRiff,
    /// <summary>The RIFF form type is not "WAVE".</summary>
    NotWave,
    /// <summary>The data chunk came before any "fmt " chunk.</summary>
    MissingFormatChunk,
    /// <summary>The "fmt " chunk is shorter than the 16 bytes of a PCMWAVEFORMAT.</summary>
    FormatChunkTooShort,
    /// <summary>The format tag is neither PCM (1) nor WAVE_FORMAT_EXTENSIBLE with the PCM sub-format.</summary>
    NotPcm,
    /// <summary>Bits per sample other than 16.</summary>
    UnsupportedBitsPerSample,
    /// <summary>Zero channels, zero sample rate, or a block align that does not match channels x 2.</summary>
    InvalidFormat,
    /// <summary>No data chunk was found within the header size limit.</summary>
    MissingDataChunk,
}
