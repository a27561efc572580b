namespace Callbridge.Audio.Native;

/// <summary>
/// A native library the audio code binds to is not installed. Carries the versioned soname that was
/// looked for and the Debian package that ships it, so the operator knows what to install.
/// </summary>
public sealed class NativeLibraryMissingException : Exception
{
    public NativeLibraryMissingException(string soname, string debianPackage)
        : base($"Native library '{soname}' could not be loaded: install the Debian package '{debianPackage}'.")
    {
        Soname = soname;
        DebianPackage = debianPackage;
    }

    public string Soname { get; }

    public string DebianPackage { get; }
}
