using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Callbridge.Audio.Native;

/// <summary>
/// Versioned sonames of the Debian runtime packages, and a one-time probe that turns a missing library
/// into <see cref="NativeLibraryMissingException"/> before the first P/Invoke would throw a bare
/// <see cref="DllNotFoundException"/>.
/// </summary>
public static class NativeLibraries
{
    public const string Opus = "libopus.so.0";
    public const string OpusPackage = "libopus0";
    public const string SpeexDsp = "libspeexdsp.so.1";
    public const string SpeexDspPackage = "libspeexdsp1";

    private static readonly ConcurrentDictionary<string, bool> s_probed = new(StringComparer.Ordinal);

    /// <summary>Throws <see cref="NativeLibraryMissingException"/> when <paramref name="soname"/> cannot be loaded.</summary>
    public static void Ensure(string soname, string debianPackage)
    {
        bool present = s_probed.GetOrAdd(soname, static name =>
        {
            if (!NativeLibrary.TryLoad(name, out IntPtr handle))
            {
                return false;
            }

            // Keep the library loaded for the process lifetime: the runtime's own resolution of the
            // same soname for [LibraryImport] finds it already mapped.
            _ = handle;
            return true;
        });
        if (!present)
        {
            throw new NativeLibraryMissingException(soname, debianPackage);
        }
    }
}
