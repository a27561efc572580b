using System.Buffers;

namespace Callbridge.Matroska;

/// <summary>
/// What a spool file written by <see cref="WebmTrackWriter"/> holds, read back after a crash: the time of
/// its first and last frame, how many frames, and how many bytes form whole clusters (anything after
/// is a torn write and is not media).
/// </summary>
/// <param name="FirstFrame">Track time of the first frame; null when no frame was written.</param>
/// <param name="ValidLength">Bytes up to the end of the last whole cluster (at least the header).</param>
public sealed record WebmSpoolSummary(TimeSpan? FirstFrame, TimeSpan? LastFrame, long Frames, long KeyFrames, long ValidLength, long FileLength)
{
    /// <summary>Largest cluster accepted: 1 s of 8 Mbit/s video is 1 MB; 64 MB means a corrupt size.</summary>
    private const int MaxClusterBytes = 64 * 1024 * 1024;

    /// <summary>Reads a spool file; null when it does not start with the header the writer writes.</summary>
    public static WebmSpoolSummary? Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1 << 16);
        long length = file.Length;
        Span<byte> head = stackalloc byte[12];
        // EBML header: one element, skipped whole (RFC 8794 §8).
        if (!TryReadHeaderAt(file, head, out uint id, out ulong size, out int used) || id != MatroskaIds.Ebml || size == EbmlReader.UnknownSize)
            return null;
        long position = used + (long)size;
        // Segment: the writer gives it an unknown size; its children follow directly.
        file.Position = position;
        if (!TryReadHeaderAt(file, head, out id, out _, out used) || id != MatroskaIds.Segment) return null;
        position += used;

        long validLength = position, frames = 0, keys = 0;
        long first = long.MaxValue, last = long.MinValue;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 20);
        try
        {
            while (position < length)
            {
                file.Position = position;
                if (!TryReadHeaderAt(file, head, out id, out size, out used)) break;
                if (size == EbmlReader.UnknownSize || position + used + (long)size > length) break;
                if (id == MatroskaIds.Cluster)
                {
                    if (size > MaxClusterBytes) break;
                    if ((int)size > buffer.Length)
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = ArrayPool<byte>.Shared.Rent((int)size);
                    }
                    file.ReadExactly(buffer, 0, (int)size);
                    if (SpoolCluster.TryParse(buffer.AsSpan(0, (int)size), out SpoolCluster cluster) != SpoolClusterError.None) break;
                    if (cluster.Blocks > 0)
                    {
                        frames += cluster.Blocks;
                        keys += cluster.KeyBlocks;
                        first = Math.Min(first, cluster.FirstMs);
                        last = Math.Max(last, cluster.LastMs);
                    }
                }
                position += used + (long)size;
                validLength = position;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return new WebmSpoolSummary(
            frames == 0 ? null : TimeSpan.FromMilliseconds(first),
            frames == 0 ? null : TimeSpan.FromMilliseconds(last),
            frames, keys, validLength, length);
    }

    private static bool TryReadHeaderAt(FileStream file, Span<byte> scratch, out uint id, out ulong size, out int consumed)
    {
        int read = file.ReadAtLeast(scratch, scratch.Length, throwOnEndOfStream: false);
        return EbmlReader.TryReadHeader(scratch[..read], out id, out size, out consumed) == EbmlReadError.None;
    }
}
