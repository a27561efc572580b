using Callbridge.Audio.Wav;

namespace Callbridge.Audio.Tests;

public class WavTests
{
    [Theory]
    [InlineData(8000, 1)]
    [InlineData(16000, 1)]
    [InlineData(48000, 2)]
    [InlineData(44100, 6)]
    public void WrittenFileReadsBackAndFfprobeAgrees(int rate, int channels)
    {
        using var dir = new TempDir();
        string path = dir.File("out.wav");
        var rng = new Random(rate + channels);
        short[] samples = Enumerable.Range(0, rate / 2 * channels).Select(_ => (short)rng.Next(short.MinValue, short.MaxValue)).ToArray();
        using (var writer = WavWriter.Create(path, new WavFormat(rate, channels)))
        {
            // Streamed in uneven blocks.
            int offset = 0;
            while (offset < samples.Length)
            {
                int n = Math.Min(rng.Next(1, 5000), samples.Length - offset);
                writer.Write(samples.AsSpan(offset, n));
                offset += n;
            }
        }

        using (WavReader reader = WavReader.Open(path))
        {
            Assert.Equal(new WavFormat(rate, channels), reader.Format);
            Assert.Equal(samples.Length * 2L, reader.Header.DataLength);
            Assert.Equal(samples, reader.ReadAll());
        }

        ExternalTool.Result probe = ExternalTool.Run("ffprobe", "ffmpeg", "-v", "error", "-show_entries",
            "stream=codec_name,sample_rate,channels,bits_per_sample,duration_ts", "-of", "default=noprint_wrappers=1", path);
        Assert.True(probe.ExitCode == 0, probe.Stderr);
        string text = probe.StdoutText;
        Assert.Contains("codec_name=pcm_s16le", text, StringComparison.Ordinal);
        Assert.Contains($"sample_rate={rate}", text, StringComparison.Ordinal);
        Assert.Contains($"channels={channels}", text, StringComparison.Ordinal);
        Assert.Contains("bits_per_sample=16", text, StringComparison.Ordinal);
        Assert.Contains($"duration_ts={rate / 2}", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadsFfmpegOutputWithMetadataChunksAndFromAPipe()
    {
        using var dir = new TempDir();
        string tagged = dir.File("tagged.wav");
        ExternalTool.Result make = ExternalTool.Run("ffmpeg", "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=22050:duration=1",
            "-ac", "2", "-metadata", "title=callbridge", "-c:a", "pcm_s16le", tagged);
        Assert.True(make.ExitCode == 0, make.Stderr);
        using (WavReader reader = WavReader.Open(tagged))
        {
            Assert.Equal(new WavFormat(22050, 2), reader.Format);
            short[] all = reader.ReadAll();
            Assert.Equal(22050 * 2, all.Length);
            short[] left = all.Where((_, i) => i % 2 == 0).ToArray();
            Assert.True(Signals.Goertzel(left, 1000, 22050) > 100 * Signals.Goertzel(left, 2000, 22050));
        }

        // Written to a pipe, ffmpeg cannot seek back to fill in sizes: the data chunk size is unknown.
        ExternalTool.Result piped = ExternalTool.Run("ffmpeg", "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=500:sample_rate=8000:duration=0.5",
            "-c:a", "pcm_s16le", "-f", "wav", "-");
        Assert.True(piped.ExitCode == 0, piped.Stderr);
        using (WavReader reader = WavReader.Open(new MemoryStream(piped.Stdout)))
        {
            Assert.Equal(new WavFormat(8000, 1), reader.Format);
            Assert.Equal(4000, reader.ReadAll().Length);
        }
    }

    [Fact]
    public void RejectsNonPcmWithItsReason()
    {
        using var dir = new TempDir();
        string path = dir.File("float.wav");
        ExternalTool.Result make = ExternalTool.Run("ffmpeg", "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=duration=0.1", "-c:a", "pcm_f32le", path);
        Assert.True(make.ExitCode == 0, make.Stderr);
        var ex = Assert.Throws<WavFormatException>(() => WavReader.Open(path));
        Assert.True(ex.Error is WavError.NotPcm or WavError.UnsupportedBitsPerSample, ex.Error.ToString());

        string u8 = dir.File("u8.wav");
        make = ExternalTool.Run("ffmpeg", "ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=duration=0.1", "-c:a", "pcm_u8", u8);
        Assert.True(make.ExitCode == 0, make.Stderr);
        Assert.Equal(WavError.UnsupportedBitsPerSample, Assert.Throws<WavFormatException>(() => WavReader.Open(u8)).Error);
    }

    [Theory]
    [InlineData("", WavError.Truncated)]
    [InlineData("RIFX\0\0\0\0WAVE", WavError.NotRiff)]
    [InlineData("RIFF\0\0\0\0AVI ", WavError.NotWave)]
    [InlineData("RIFF\0\0\0\0WAVEdata\0\0\0\0", WavError.MissingFormatChunk)]
    [InlineData("RIFF\0\0\0\0WAVEfmt \x08\0\0\0", WavError.FormatChunkTooShort)]
    public void MalformedHeadersGiveTypedErrors(string header, WavError expected)
    {
        byte[] bytes = header.Select(c => (byte)c).ToArray();
        Assert.Equal(expected, WavHeader.TryParse(bytes, out _, out _));
        Assert.Equal(expected, Assert.Throws<WavFormatException>(() => WavReader.Open(new MemoryStream(bytes))).Error);
    }

    [Fact]
    public void EveryPrefixOfAHeaderIsTruncatedThenTheWholeParses()
    {
        byte[] header = new byte[WavHeader.CanonicalLength];
        new WavHeader(new WavFormat(16000, 1), 320).WriteTo(header);
        for (int i = 0; i < header.Length; i++)
        {
            Assert.Equal(WavError.Truncated, WavHeader.TryParse(header.AsSpan(0, i), out _, out _));
        }

        Assert.Equal(WavError.None, WavHeader.TryParse(header, out WavHeader parsed, out int consumed));
        Assert.Equal(44, consumed);
        Assert.Equal(new WavHeader(new WavFormat(16000, 1), 320), parsed);
    }

    [Fact]
    public void MutatedHeadersOnlyEverGiveTypedErrors()
    {
        // Seeded mutation loop over valid headers (with an extra LIST chunk): 100,000 inputs.
        var rng = new Random(20261122);
        byte[] seed = new byte[44 + 12];
        new WavHeader(new WavFormat(48000, 2), 1000).WriteTo(seed);
        byte[] withList = new byte[seed.Length];
        seed.AsSpan(0, 36).CopyTo(withList);
        "LIST"u8.CopyTo(withList.AsSpan(36));
        withList[40] = 4;
        "INFO"u8.CopyTo(withList.AsSpan(44));
        seed.AsSpan(36, 8).CopyTo(withList.AsSpan(48));
        byte[][] seeds = [seed[..44], withList];
        var seen = new HashSet<WavError>();
        for (int i = 0; i < 100_000; i++)
        {
            byte[] input = (byte[])seeds[i % 2].Clone();
            int mutations = rng.Next(1, 6);
            for (int m = 0; m < mutations; m++)
            {
                switch (rng.Next(4))
                {
                    case 0:
                        input[rng.Next(input.Length)] = (byte)rng.Next(256);
                        break;
                    case 1:
                        input[rng.Next(input.Length)] ^= (byte)(1 << rng.Next(8));
                        break;
                    case 2:
                        input = input[..rng.Next(input.Length + 1)];
                        if (input.Length == 0)
                        {
                            input = [0];
                        }

                        break;
                    default:
                        int at = rng.Next(input.Length);
                        input[at] = rng.Next(2) == 0 ? (byte)0xFF : (byte)0;
                        break;
                }
            }

            WavError error = WavHeader.TryParse(input, out WavHeader header, out int consumed);
            Assert.True(Enum.IsDefined(error));
            seen.Add(error);
            if (error == WavError.None)
            {
                Assert.InRange(consumed, 12, input.Length);
                Assert.True(header.Format.Channels > 0 && header.Format.SampleRate > 0);
            }
        }

        Assert.Contains(WavError.None, seen);
        Assert.True(seen.Count >= 5, string.Join(",", seen));
    }

    [Fact]
    public void PipeOutputKeepsUnknownSizeAndFfmpegReadsIt()
    {
        using var dir = new TempDir();
        var pipe = new NonSeekableStream();
        using (var writer = new WavWriter(pipe, new WavFormat(8000, 1), leaveOpen: true))
        {
            writer.Write(Signals.Sine(400, 8000, 8000));
        }

        Assert.False(WavHeader.TryParse(pipe.Inner.ToArray(), out WavHeader header, out _) != WavError.None);
        Assert.Null(header.DataLength);
        string path = dir.File("pipe.wav");
        File.WriteAllBytes(path, pipe.Inner.ToArray());
        ExternalTool.Result ffmpeg = ExternalTool.Run("ffmpeg", "ffmpeg", "-v", "error", "-i", path, "-f", "s16le", "-");
        Assert.True(ffmpeg.ExitCode == 0, ffmpeg.Stderr);
        Assert.Equal(Signals.Sine(400, 8000, 8000), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(ffmpeg.Stdout).ToArray());
    }

    private sealed class NonSeekableStream : Stream
    {
        public MemoryStream Inner { get; } = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => Inner.Write(buffer, offset, count);
    }
}
