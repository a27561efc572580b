using System.Runtime.InteropServices;

namespace Callbridge.Storage.Local;

/// <summary>fsync(2) of a folder, which .NET does not offer: a rename is durable only once the folder entry is.</summary>
internal static partial class NativeFsync
{
    private const int ReadOnlyDirectory = 0x0 | 0x10000; // O_RDONLY | O_DIRECTORY (Linux x86-64 and arm64)

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    /// <summary>Flushes a folder's entries to disk; returns false when the OS refused (the data is still renamed).</summary>
    public static bool FlushDirectory(string folder)
    {
        int fd = Open(folder, ReadOnlyDirectory);
        if (fd < 0) return false;
        try
        {
            return Fsync(fd) == 0;
        }
        finally
        {
            _ = Close(fd);
        }
    }
}
