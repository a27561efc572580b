using System.Runtime.InteropServices;

namespace Callbridge.Srtp.Benchmarks;

/// <summary>The baseline: srtp_unprotect declared here directly, with no wrapper logic around it.</summary>
internal static unsafe partial class BareLibSrtp
{
    [LibraryImport("libsrtp2.so.1", EntryPoint = "srtp_unprotect")]
    internal static partial int Unprotect(nint session, byte* packet, int* length);
}
