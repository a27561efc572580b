using System.Runtime.InteropServices;

namespace Callbridge.Storage.Local;

/// <summary>
/// The two durability calls .NET does not offer: fsync(2) of a folder (a new or renamed file is durable only once
/// its folder entry is) and syncfs(2), which puts every file written on one file system on disk in one pass and one
/// journal commit. Both are Linux calls; elsewhere they report false and do nothing.
/// </summary>
public static partial class FileSystemSync
{
    private const int ReadOnlyDirectory = 0x0 | 0x10000; // O_RDONLY | O_DIRECTORY (Linux x86-64 and arm64)

    /// <summary>Flushes a folder's entries to disk; false when the OS refused (what was renamed stays renamed).</summary>
    public static bool FlushDirectory(string folder) => OnOpenFolder(folder, Fsync);

    /// <summary>
    /// Writes everything cached for the file system that holds <paramref name="folder"/> to disk and waits for it;
    /// false when the folder cannot be opened or the OS reports an error (see <see cref="Marshal.GetLastPInvokeError"/>).
    /// </summary>
    public static bool SyncFileSystemOf(string folder) => OnOpenFolder(folder, SyncFs);

    private static bool OnOpenFolder(string folder, Func<int, int> call)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!OperatingSystem.IsLinux()) return false;
        int fd = Open(folder, ReadOnlyDirectory);
        if (fd < 0) return false;
        try
        {
            return call(fd) == 0;
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static partial int SyncFs(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
