using System.Runtime.InteropServices;

namespace Callbridge.Srtp.Native;

/// <summary>Owns an <c>srtp_t</c>; released with <c>srtp_dealloc</c>.</summary>
internal sealed class SrtpSessionHandle : SafeHandle
{
    public SrtpSessionHandle(nint session)
        : base(nint.Zero, ownsHandle: true) => SetHandle(session);

    public override bool IsInvalid => handle == nint.Zero;

    protected override bool ReleaseHandle() => LibSrtp.Dealloc(handle) == SrtpErrorCode.Ok;
}
