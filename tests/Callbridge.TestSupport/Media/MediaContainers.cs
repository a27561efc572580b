using System.Buffers.Binary;

namespace Callbridge.TestSupport.Media;

/// <summary>A frame read out of a container, with its presentation time.</summary>
public sealed record ContainerFrame(byte[] Data, TimeSpan Timestamp);

/// <summary>
/// Minimal readers for the containers ffmpeg writes encoded test media into, so tests can feed real
/// codec frames (libopus, libvpx) to the code under test.
/// </summary>
public static class MediaContainers
{
    /// <summary>Ogg pages (RFC 3533 §6) reassembled into packets; a packet ends at a lacing value below 255.</summary>
    /// <param name="skipOpusHeaders">Drop OpusHead and OpusTags (RFC 7845 §3), checking they are there.</param>
    public static List<byte[]> ReadOggPackets(ReadOnlySpan<byte> ogg, bool skipOpusHeaders = true)
    {
        var packets = new List<byte[]>();
        var current = new List<byte>();
        int offset = 0;
        while (offset + 27 <= ogg.Length)
        {
            if (!ogg.Slice(offset, 4).SequenceEqual("OggS"u8)) throw new InvalidDataException("bad Ogg capture pattern");
            int segments = ogg[offset + 26];
            int body = offset + 27 + segments;
            for (int i = 0; i < segments; i++)
            {
                int lace = ogg[offset + 27 + i];
                current.AddRange(ogg.Slice(body, lace).ToArray());
                body += lace;
                if (lace < 255)
                {
                    packets.Add([.. current]);
                    current.Clear();
                }
            }
            offset = body;
        }
        if (!skipOpusHeaders) return packets;
        if (packets.Count < 2 || !packets[0].AsSpan().StartsWith("OpusHead"u8) || !packets[1].AsSpan().StartsWith("OpusTags"u8))
            throw new InvalidDataException("not an Ogg Opus stream (no OpusHead/OpusTags)");
        return packets.Skip(2).ToList();
    }

    /// <summary>IVF: a "DKIF" header (timebase at bytes 16..23), then per frame a 4-byte size, an 8-byte PTS and the frame.</summary>
    public static List<ContainerFrame> ReadIvfFrames(ReadOnlySpan<byte> ivf)
    {
        if (ivf.Length < 32 || !ivf[..4].SequenceEqual("DKIF"u8)) throw new InvalidDataException("not an IVF file");
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(ivf[16..]);
        uint scale = BinaryPrimitives.ReadUInt32LittleEndian(ivf[20..]);
        int offset = BinaryPrimitives.ReadUInt16LittleEndian(ivf[6..]);
        var frames = new List<ContainerFrame>();
        while (offset + 12 <= ivf.Length)
        {
            int size = (int)BinaryPrimitives.ReadUInt32LittleEndian(ivf[offset..]);
            long pts = BinaryPrimitives.ReadInt64LittleEndian(ivf[(offset + 4)..]);
            frames.Add(new ContainerFrame(ivf.Slice(offset + 12, size).ToArray(), TimeSpan.FromSeconds(pts * (double)scale / rate)));
            offset += 12 + size;
        }
        return frames;
    }
}
