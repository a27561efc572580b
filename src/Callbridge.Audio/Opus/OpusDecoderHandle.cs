using System.Runtime.InteropServices;

namespace Callbridge.Audio.Opus;

/// <summary>Owns an OpusDecoder*; released with opus_decoder_destroy.</summary>
internal sealed class OpusDecoderHandle : SafeHandle
{
    public OpusDecoderHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        OpusNative.opus_decoder_destroy(handle);
        return true;
    }
}
