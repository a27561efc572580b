using System.Runtime.InteropServices;

namespace Callbridge.Audio.Resampling;

/// <summary>Owns a SpeexResamplerState*; released with speex_resampler_destroy.</summary>
internal sealed class SpeexResamplerHandle : SafeHandle
{
    public SpeexResamplerHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        SpeexDspNative.speex_resampler_destroy(handle);
        return true;
    }
}
