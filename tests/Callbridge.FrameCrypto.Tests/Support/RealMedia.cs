using System.Buffers.Binary;

namespace Callbridge.FrameCrypto.Tests.Support;

/// <summary>
/// Real Opus and VP8 frames: encoded by ffmpeg (libopus into Ogg, libvpx into IVF) once per test run and
/// split with minimal container parsers.
/// </summary>
internal static class RealMedia
{
    private static readonly Lazy<IReadOnlyList<byte[]>> OpusFrames = new(() => ReadOgg(Encode("opus.ogg",
        ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=4", "-f", "lavfi", "-i", "anoisesrc=d=4:c=pink:r=48000:a=0.2:seed=7",
         "-filter_complex", "[0][1]amix=inputs=2[a]", "-map", "[a]", "-c:a", "libopus", "-b:a", "48k", "-application", "voip"])));

    private static readonly Lazy<IReadOnlyList<byte[]>> OpusMusicFrames = new(() => ReadOgg(Encode("opus-celt.ogg",
        ["-f", "lavfi", "-i", "anoisesrc=d=3:c=white:r=48000:a=0.5:seed=11", "-ac", "2", "-c:a", "libopus", "-b:a", "128k", "-application", "lowdelay", "-frame_duration", "10"])));

    private static readonly Lazy<IReadOnlyList<byte[]>> Vp8Frames = new(() => ReadIvf(Encode("vp8.ivf",
        ["-f", "lavfi", "-i", "testsrc2=size=176x144:rate=30:duration=4", "-c:v", "libvpx", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k", "-g", "30", "-f", "ivf"])));

    public static IReadOnlyList<byte[]> Opus => OpusFrames.Value;

    public static IReadOnlyList<byte[]> OpusCelt => OpusMusicFrames.Value;

    public static IReadOnlyList<byte[]> Vp8 => Vp8Frames.Value;

    private static string Encode(string name, string[] args)
    {
        var dir = Path.Combine(Path.GetTempPath(), "callbridge-framecrypto-media-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        var output = Path.Combine(dir, name);
        var (code, _, stderr) = ExternalProcess.Run("ffmpeg", "ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", .. args, output]);
        if (code != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed ({code}): {stderr}");
        }

        return output;
    }

    /// <summary>Ogg pages (RFC 3533 §6) reassembled into packets; the OpusHead and OpusTags packets are skipped.</summary>
    private static List<byte[]> ReadOgg(string path)
    {
        var data = File.ReadAllBytes(path);
        var packets = new List<byte[]>();
        var current = new List<byte>();
        int offset = 0;
        while (offset + 27 <= data.Length)
        {
            if (!data.AsSpan(offset, 4).SequenceEqual("OggS"u8))
            {
                throw new InvalidDataException("bad Ogg capture pattern");
            }

            int segments = data[offset + 26];
            int body = offset + 27 + segments;
            for (int i = 0; i < segments; i++)
            {
                int lace = data[offset + 27 + i];
                current.AddRange(data.AsSpan(body, lace).ToArray());
                body += lace;
                if (lace < 255)
                {
                    packets.Add([.. current]);
                    current.Clear();
                }
            }

            offset = body;
        }

        Assert.StartsWith("OpusHead", System.Text.Encoding.ASCII.GetString(packets[0], 0, 8), StringComparison.Ordinal);
        Assert.StartsWith("OpusTags", System.Text.Encoding.ASCII.GetString(packets[1], 0, 8), StringComparison.Ordinal);
        return packets.Skip(2).ToList();
    }

    /// <summary>IVF: 32-byte file header ("DKIF"), then per frame a 4-byte LE size, 8-byte PTS, and the frame.</summary>
    private static List<byte[]> ReadIvf(string path)
    {
        var data = File.ReadAllBytes(path);
        if (!data.AsSpan(0, 4).SequenceEqual("DKIF"u8) || !data.AsSpan(8, 4).SequenceEqual("VP80"u8))
        {
            throw new InvalidDataException("not a VP8 IVF file");
        }

        int offset = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(6));
        var frames = new List<byte[]>();
        while (offset + 12 <= data.Length)
        {
            int size = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset));
            frames.Add(data.AsSpan(offset + 12, size).ToArray());
            offset += 12 + size;
        }

        return frames;
    }
}
