using System.Buffers.Binary;
using Callbridge.TestSupport;

namespace Callbridge.Matroska.Tests;

/// <summary>Real VP8 and Opus frames made by ffmpeg (libvpx, libopus), read out of IVF and Ogg.</summary>
internal static class EncodedMedia
{
    public sealed record Frame(byte[] Data, TimeSpan Timestamp, bool KeyFrame);

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>VP8 at 15 fps with a key frame every <paramref name="gop"/> frames.</summary>
    public static async Task<List<Frame>> Vp8Async(string folder, int seconds, int gop = 15)
    {
        string ivf = Path.Combine(folder, $"vp8-{seconds}s-{gop}.ivf");
        await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"testsrc=size=320x240:rate=15:duration={seconds}",
            "-c:v", "libvpx", "-b:v", "300k", "-g", gop.ToString(), "-auto-alt-ref", "0", "-f", "ivf", ivf], Timeout);
        byte[] bytes = await File.ReadAllBytesAsync(ivf);
        // IVF: 32-byte file header (timebase at 16..23), then per frame a 12-byte header (size, pts).
        uint rate = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16));
        uint scale = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(20));
        var frames = new List<Frame>();
        for (int at = 32; at + 12 <= bytes.Length;)
        {
            int size = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at));
            long pts = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at + 4));
            byte[] data = bytes.AsSpan(at + 12, size).ToArray();
            frames.Add(new Frame(data, TimeSpan.FromSeconds(pts * (double)scale / rate), (data[0] & 1) == 0));
            at += 12 + size;
        }
        return frames;
    }

    /// <summary>Opus packets of 20 ms (a 440 Hz tone), as WebRTC sends them.</summary>
    public static async Task<List<Frame>> OpusAsync(string folder, int seconds)
    {
        string ogg = Path.Combine(folder, $"opus-{seconds}s.ogg");
        await ProgramRunner.RunCheckedAsync(RequiredPrograms.Ffmpeg, ["-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"sine=frequency=440:sample_rate=48000:duration={seconds}",
            "-c:a", "libopus", "-frame_duration", "20", "-b:a", "32k", ogg], Timeout);
        var packets = ReadOggPackets(await File.ReadAllBytesAsync(ogg));
        // The first two packets are OpusHead and OpusTags (RFC 7845 §3).
        return packets.Skip(2).Select((p, i) => new Frame(p, TimeSpan.FromMilliseconds(20 * i), true)).ToList();
    }

    // Ogg pages (RFC 3533 §6): 27-byte header, segment table; a packet ends at a lacing value below 255.
    private static List<byte[]> ReadOggPackets(byte[] ogg)
    {
        var packets = new List<byte[]>();
        var current = new List<byte>();
        for (int at = 0; at + 27 <= ogg.Length;)
        {
            int segments = ogg[at + 26];
            int data = at + 27 + segments;
            for (int i = 0; i < segments; i++)
            {
                int lacing = ogg[at + 27 + i];
                current.AddRange(ogg.AsSpan(data, lacing).ToArray());
                data += lacing;
                if (lacing < 255)
                {
                    packets.Add(current.ToArray());
                    current.Clear();
                }
            }
            at = data;
        }
        return packets;
    }
}
