namespace Callbridge.Audio.Resampling;

/// <summary>libspeexdsp resampler error codes (speex_resampler.h, RESAMPLER_ERR_*).</summary>
public enum ResamplerError
{
    Success = 0,
    AllocFailed = 1,
    BadState = 2,
    InvalidArgument = 3,
    PointerOverlap = 4,
    Overflow = 5,
}
