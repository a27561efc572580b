using System.Runtime.InteropServices;
using Callbridge.Audio.Ogg;
using Callbridge.Audio.Opus;

namespace Callbridge.Audio.Tests;

public class OggOpusTests
{
    /// <summary>Decodes with ffmpeg's demuxer and its libopus decoder (ffmpeg's native decoder resamples SILK with a few samples' different delay).</summary>
    private static short[] FfmpegDecode(string path, out string stderr)
    {
        ExternalTool.Result ffmpeg = ExternalTool.Run("ffmpeg", "ffmpeg", "-v", "error", "-c:a", "libopus", "-i", path, "-f", "s16le", "-ar", "48000", "-ac", "1", "-");
        Assert.True(ffmpeg.ExitCode == 0, ffmpeg.Stderr);
        stderr = ffmpeg.Stderr;
        return MemoryMarshal.Cast<byte, short>(ffmpeg.Stdout).ToArray();
    }

    [Fact]
    public void FfmpegDecodesOurOggOpusToTheSourceSpeech()
    {
        using var dir = new TempDir();
        short[] source = OpusTests.Speech48k(dir);
        string path = dir.File("speech.opus");
        var direct = new List<short>();
        int preSkip;
        using (var encoder = new OpusEncoder(48000, 1) { Bitrate = 32000 })
        using (var decoder = new OpusDecoder(48000, 1))
        {
            preSkip = encoder.Lookahead;
            var writer = new OggOpusWriter(File.Create(path), channels: 1, preSkip: preSkip, inputSampleRate: 16000);
            short[] pcm = new short[960];
            foreach (byte[] packet in OpusTests.EncodeAll(encoder, source))
            {
                writer.WritePacket(packet, 960);
                direct.AddRange(pcm.AsSpan(0, decoder.Decode(packet, pcm)).ToArray());
            }

            writer.Complete(source.Length);
            Assert.True(writer.PagesWritten >= 2 + (uint)(source.Length / 48000));
        }

        ExternalTool.Result probe = ExternalTool.Run("ffprobe", "ffmpeg", "-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels",
            "-of", "default=noprint_wrappers=1", path);
        Assert.True(probe.ExitCode == 0 && probe.Stderr.Length == 0, probe.Stderr);
        Assert.Contains("codec_name=opus", probe.StdoutText, StringComparison.Ordinal);
        Assert.Contains("sample_rate=48000", probe.StdoutText, StringComparison.Ordinal);
        Assert.Contains("channels=1", probe.StdoutText, StringComparison.Ordinal);

        short[] decoded = FfmpegDecode(path, out string stderr);
        Assert.Equal(string.Empty, stderr);
        // Pre-skip and end trimming make the decoded length the source length.
        Assert.InRange(decoded.Length, source.Length - 960, source.Length);

        // ffmpeg (same libopus) drops exactly the pre-skip: its output is our own decoder's output from
        // sample preSkip on, bit for bit.
        Assert.Equal(direct.Skip(preSkip).Take(decoded.Length).ToArray(), decoded);

        // And it is the source speech: the waveform lines up within the codec's residual delay.
        int n = Math.Min(decoded.Length, source.Length);
        int bestLag = 0;
        double best = double.MinValue;
        for (int lag = -400; lag <= 400; lag += 1)
        {
            double c = SampleCorrelation(source, decoded, lag, n);
            if (c > best)
            {
                best = c;
                bestLag = lag;
            }
        }

        Assert.InRange(bestLag, -16, 16);
        Assert.True(best >= 0.9, $"waveform correlation {best:0.000}");
        double envelope = Signals.Correlation(Signals.Envelope(source.AsSpan(0, n), 960), Signals.Envelope(decoded.AsSpan(0, n), 960));
        Assert.True(envelope >= 0.95, $"envelope correlation {envelope:0.000}");
    }

    [Fact]
    public void FlushedPagesAreDecodableWhileTheStreamIsStillOpen()
    {
        using var dir = new TempDir();
        string path = dir.File("live.opus");
        short[] tone = Signals.Sine(440, 48000, 48000 * 3);
        using var encoder = new OpusEncoder(48000, 1);
        List<byte[]> packets = OpusTests.EncodeAll(encoder, tone);
        var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        var writer = new OggOpusWriter(file, 1, encoder.Lookahead, maxPageDuration: TimeSpan.FromMilliseconds(500));
        for (int i = 0; i < 100; i++)
        {
            writer.WritePacket(packets[i], 960);
        }

        writer.Flush();
        // A crash now would leave exactly this file: 2 s of audio, readable.
        string snapshot = dir.File("snapshot.opus");
        File.Copy(path, snapshot);
        short[] partial = FfmpegDecode(snapshot, out _);
        Assert.InRange(partial.Length, 96000 - 960 - encoder.Lookahead, 96000);
        Assert.True(Signals.Goertzel(partial.AsSpan(4800), 440, 48000) > 100 * Signals.Goertzel(partial.AsSpan(4800), 880, 48000));

        for (int i = 100; i < packets.Count; i++)
        {
            writer.WritePacket(packets[i], 960);
        }

        writer.Dispose();
        Assert.True(writer.PagesWritten >= 2 + 6, $"{writer.PagesWritten} pages");
        short[] whole = FfmpegDecode(path, out _);
        Assert.InRange(whole.Length, 144000 - 960 - encoder.Lookahead, 144000);
    }

    [Fact]
    public void PagesCarryValidCrcsThatFfmpegChecks()
    {
        using var dir = new TempDir();
        string path = dir.File("crc.opus");
        using var encoder = new OpusEncoder(48000, 1);
        using (var writer = new OggOpusWriter(File.Create(path), 1, encoder.Lookahead))
        {
            foreach (byte[] packet in OpusTests.EncodeAll(encoder, Signals.Sine(300, 48000, 48000)))
            {
                writer.WritePacket(packet, 960);
            }
        }

        byte[] bytes = File.ReadAllBytes(path);
        List<int> pageOffsets = FindPages(bytes);
        Assert.True(pageOffsets.Count >= 3);
        // First page: BOS, holds only OpusHead; last page: EOS.
        Assert.Equal(0x02, bytes[pageOffsets[0] + 5]);
        Assert.Equal(0x04, bytes[pageOffsets[^1] + 5] & 0x04);
        Assert.Equal("OpusHead"u8.ToArray(), bytes.AsSpan(pageOffsets[0] + 28, 8).ToArray());
        Assert.Equal("OpusTags"u8.ToArray(), bytes.AsSpan(pageOffsets[1] + 28, 8).ToArray());
        foreach (int offset in pageOffsets)
        {
            byte[] page = bytes.AsSpan(offset, PageLength(bytes, offset)).ToArray();
            uint stored = BitConverter.ToUInt32(page, 22);
            page.AsSpan(22, 4).Clear();
            Assert.Equal(stored, OggCrc.Compute(page));
        }

        // Corrupt the CRC of the third page: ffmpeg must notice.
        string broken = dir.File("broken.opus");
        bytes[pageOffsets[2] + 22] ^= 0xFF;
        File.WriteAllBytes(broken, bytes);
        ExternalTool.Result ffmpeg = ExternalTool.Run("ffmpeg", "ffmpeg", "-v", "warning", "-i", broken, "-f", "s16le", "-");
        Assert.Contains("CRC", ffmpeg.Stderr, StringComparison.OrdinalIgnoreCase);
        short[] ok = FfmpegDecode(path, out string clean);
        Assert.Equal(string.Empty, clean);
        Assert.True(ok.Length > 40000);
    }

    [Fact]
    public void CrcMatchesTheReferenceValue()
    {
        // CRC-32/BZIP2 without reflection or final XOR (poly 0x04C11DB7, init 0): "123456789" -> 0x89A1897F.
        Assert.Equal(0x89A1897Fu, OggCrc.Compute("123456789"u8));
    }

    [Fact]
    public void LongPacketsSpanLacingAndPages()
    {
        using var stream = new MemoryStream();
        var writer = new OggOpusWriter(stream, 1, 312, leaveOpen: true);
        byte[] big = new byte[255 * 300];
        new Random(1).NextBytes(big);
        writer.WritePacket(big, 960);
        writer.WritePacket(new byte[255], 960);
        writer.Complete();
        byte[] bytes = stream.ToArray();
        List<int> pages = FindPages(bytes);
        // 300 full segments do not fit one page (255 max): the packet continues on a page flagged 0x01.
        Assert.Contains(pages, p => (bytes[p + 5] & 0x01) != 0);
        long payload = pages.Sum(p => PageLength(bytes, p) - 27 - bytes[p + 26]);
        Assert.Equal(19 + 8 + 4 + "Callbridge".Length + 4 + big.Length + 255, payload);
    }

    private static List<int> FindPages(byte[] bytes)
    {
        var offsets = new List<int>();
        int offset = 0;
        while (offset < bytes.Length)
        {
            Assert.Equal("OggS"u8.ToArray(), bytes.AsSpan(offset, 4).ToArray());
            offsets.Add(offset);
            offset += PageLength(bytes, offset);
        }

        return offsets;
    }

    private static int PageLength(byte[] bytes, int offset)
    {
        int segments = bytes[offset + 26];
        int body = 0;
        for (int i = 0; i < segments; i++)
        {
            body += bytes[offset + 27 + i];
        }

        return 27 + segments + body;
    }

    private static double SampleCorrelation(short[] a, short[] b, int lag, int n)
    {
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 1000; i < n - 1000; i++)
        {
            int j = i + lag;
            double x = a[i];
            double y = b[j];
            sab += x * y;
            saa += x * x;
            sbb += y * y;
        }

        return sab / Math.Sqrt(saa * sbb);
    }
}
