using System.Runtime.InteropServices;

namespace Callbridge.Audio.Opus;

/// <summary>Owns an OpusEncoder*; released with opus_encoder_destroy.</summary>
internal sealed class OpusEncoderHandle : SafeHandle
{
    public OpusEncoderHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        OpusNative.opus_encoder_destroy(handle);
        return true;
    }
}
