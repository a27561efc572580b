using Callbridge.Srtp.Native;

namespace Callbridge.Srtp;

/// <summary>Process-wide libsrtp initialization: <c>srtp_init</c> runs once, under a lock, before the first session.</summary>
public static class SrtpLibrary
{
    private static readonly Lock InitLock = new();
    private static volatile bool s_initialized;

    /// <summary>Loads and initializes libsrtp2, or throws <see cref="SrtpLibraryUnavailableException"/> naming the Debian package.</summary>
    public static void EnsureInitialized()
    {
        if (s_initialized)
        {
            return;
        }

        lock (InitLock)
        {
            if (s_initialized)
            {
                return;
            }

            SrtpErrorCode code;
            try
            {
                code = LibSrtp.Init();
            }
            catch (DllNotFoundException e)
            {
                throw new SrtpLibraryUnavailableException(
                    $"Native library {LibSrtp.LibraryName} was not found: install the Debian package {LibSrtp.DebianPackage}.", e);
            }
            catch (EntryPointNotFoundException e)
            {
                throw new SrtpLibraryUnavailableException(
                    $"{LibSrtp.LibraryName} lacks the libsrtp 2.x API: install the Debian package {LibSrtp.DebianPackage}.", e);
            }

            if (code != SrtpErrorCode.Ok)
            {
                throw new SrtpLibraryUnavailableException($"srtp_init failed with libsrtp status {(int)code}.");
            }

            s_initialized = true;
        }
    }
}
