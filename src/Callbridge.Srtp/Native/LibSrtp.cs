using System.Runtime.InteropServices;

namespace Callbridge.Srtp.Native;

/// <summary>
/// Direct bindings to libsrtp 2.x (/usr/include/srtp2/srtp.h). The pointer/ref signatures are
/// blittable, so calls marshal nothing and allocate nothing.
/// </summary>
internal static unsafe partial class LibSrtp
{
    /// <summary>Versioned soname shipped by the Debian package <see cref="DebianPackage"/>.</summary>
    internal const string LibraryName = "libsrtp2.so.1";

    internal const string DebianPackage = "libsrtp2-1";

    [LibraryImport(LibraryName, EntryPoint = "srtp_init")]
    internal static partial SrtpErrorCode Init();

    [LibraryImport(LibraryName, EntryPoint = "srtp_create")]
    internal static partial SrtpErrorCode Create(out nint session, SrtpPolicy* policy);

    [LibraryImport(LibraryName, EntryPoint = "srtp_dealloc")]
    internal static partial SrtpErrorCode Dealloc(nint session);

    [LibraryImport(LibraryName, EntryPoint = "srtp_protect")]
    internal static partial SrtpErrorCode Protect(nint session, byte* packet, int* length);

    [LibraryImport(LibraryName, EntryPoint = "srtp_unprotect")]
    internal static partial SrtpErrorCode Unprotect(nint session, byte* packet, int* length);

    [LibraryImport(LibraryName, EntryPoint = "srtp_protect_rtcp")]
    internal static partial SrtpErrorCode ProtectRtcp(nint session, byte* packet, int* length);

    [LibraryImport(LibraryName, EntryPoint = "srtp_unprotect_rtcp")]
    internal static partial SrtpErrorCode UnprotectRtcp(nint session, byte* packet, int* length);

    [LibraryImport(LibraryName, EntryPoint = "srtp_crypto_policy_set_from_profile_for_rtp")]
    internal static partial SrtpErrorCode SetCryptoPolicyForRtp(SrtpCryptoPolicy* policy, int profile);

    [LibraryImport(LibraryName, EntryPoint = "srtp_crypto_policy_set_from_profile_for_rtcp")]
    internal static partial SrtpErrorCode SetCryptoPolicyForRtcp(SrtpCryptoPolicy* policy, int profile);
}
