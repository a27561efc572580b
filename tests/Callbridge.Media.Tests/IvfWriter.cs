using System.Buffers.Binary;

namespace Callbridge.Media.Tests;

/// <summary>Minimal IVF container (the libvpx test format) so ffprobe/ffmpeg can decode depacketized VP8 frames.</summary>
internal static class IvfWriter
{
    public static void Write(string path, int width, int height, IReadOnlyList<(uint Timestamp, byte[] Frame)> frames)
    {
        using var file = File.Create(path);
        Span<byte> header = stackalloc byte[32];
        "DKIF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 0);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 32);
        "VP80"u8.CopyTo(header[8..]);
        BinaryPrimitives.WriteUInt16LittleEndian(header[12..], (ushort)width);
        BinaryPrimitives.WriteUInt16LittleEndian(header[14..], (ushort)height);
        // Time base 1/90000: the RTP clock (RFC 7741 §4.1), so timestamps go in unchanged.
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 90000);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], 1);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)frames.Count);
        file.Write(header);
        uint first = frames.Count > 0 ? frames[0].Timestamp : 0;
        Span<byte> frameHeader = stackalloc byte[12];
        foreach (var (timestamp, frame) in frames)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(frameHeader, (uint)frame.Length);
            BinaryPrimitives.WriteUInt64LittleEndian(frameHeader[4..], timestamp - first);
            file.Write(frameHeader);
            file.Write(frame);
        }
    }
}
