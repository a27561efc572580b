namespace Callbridge.Audio.Opus;

/// <summary>libopus return codes (opus_defines.h, OPUS_*); negative values from the library map 1:1.</summary>
public enum OpusError
{
    Ok = 0,
    BadArgument = -1,
    BufferTooSmall = -2,
    InternalError = -3,
    InvalidPacket = -4,
    Unimplemented = -5,
    InvalidState = -6,
    AllocFail = -7,
}
