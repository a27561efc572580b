using Callbridge.Audio.G711;

namespace Callbridge.Audio.Tests;

public class G711Tests
{
    [Theory]
    // G.711 Table 2 (mu-law), 16-bit scale: codes go out inverted; 0xFF/0x7F are +0/-0, 0x80/0x00 the
    // end of segment 7 (8031 x 4), 0xFE the first step, 0xEF the start of segment 1.
    [InlineData(0xFF, 0)]
    [InlineData(0x7F, 0)]
    [InlineData(0x80, 32124)]
    [InlineData(0x00, -32124)]
    [InlineData(0xFE, 8)]
    [InlineData(0x7E, -8)]
    [InlineData(0xEF, 132)]
    public void MuLawDecodesStandardPoints(int code, int expected) => Assert.Equal(expected, MuLaw.Decode((byte)code));

    [Theory]
    // G.711 Table 1 (A-law), 16-bit scale: even bits inverted (XOR 0x55); 0xD5/0x55 are +-8 (first
    // interval midpoint), 0xAA/0x2A the largest magnitude 32256.
    [InlineData(0xD5, 8)]
    [InlineData(0x55, -8)]
    [InlineData(0xD4, 24)]
    [InlineData(0xAA, 32256)]
    [InlineData(0x2A, -32256)]
    public void ALawDecodesStandardPoints(int code, int expected) => Assert.Equal(expected, ALaw.Decode((byte)code));

    [Theory]
    [InlineData(0, 0xFF)]
    [InlineData(32767, 0x80)]
    [InlineData(-32768, 0x00)]
    [InlineData(8, 0xFE)]
    public void MuLawEncodesStandardPoints(int sample, int expected) => Assert.Equal((byte)expected, MuLaw.Encode((short)sample));

    [Theory]
    [InlineData(0, 0xD5)]
    [InlineData(-1, 0x55)]
    [InlineData(32767, 0xAA)]
    [InlineData(-32768, 0x2A)]
    public void ALawEncodesStandardPoints(int sample, int expected) => Assert.Equal((byte)expected, ALaw.Encode((short)sample));

    [Fact]
    public void EveryCodeSurvivesDecodeEncode()
    {
        for (int code = 0; code < 256; code++)
        {
            short mu = MuLaw.Decode((byte)code);
            Assert.Equal(mu, MuLaw.Decode(MuLaw.Encode(mu)));
            short a = ALaw.Decode((byte)code);
            Assert.Equal((byte)code, ALaw.Encode(a));
        }
    }

    [Fact]
    public void QuantizationErrorStaysWithinHalfAStep()
    {
        for (int x = short.MinValue; x <= short.MaxValue; x++)
        {
            int mu = MuLaw.Decode(MuLaw.Encode((short)x));
            int a = ALaw.Decode(ALaw.Encode((short)x));
            // Steps double per segment: 1/16 of the magnitude plus the smallest step bounds the error.
            int bound = Math.Abs(x) / 16 + 32;
            Assert.True(Math.Abs(mu - x) <= Math.Max(bound, Math.Abs(x) - 32124 + 1), $"mu-law {x} -> {mu}");
            Assert.True(Math.Abs(a - x) <= Math.Max(bound, Math.Abs(x) - 32256 + 1), $"A-law {x} -> {a}");
        }
    }

    [Theory]
    [InlineData("mulaw", "pcm_mulaw")]
    [InlineData("alaw", "pcm_alaw")]
    public void EncodesEvery16BitSampleLikeFfmpeg(string format, string codec)
    {
        using var dir = new TempDir();
        short[] all = new short[65536];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = (short)(i - 32768);
        }

        string input = dir.File("all.raw");
        File.WriteAllBytes(input, System.Runtime.InteropServices.MemoryMarshal.AsBytes(all.AsSpan()).ToArray());
        ExternalTool.Result ffmpeg = ExternalTool.Run("ffmpeg", "ffmpeg", "-v", "error", "-f", "s16le", "-ar", "8000", "-ac", "1", "-i", input,
            "-c:a", codec, "-f", format, "-");
        Assert.True(ffmpeg.ExitCode == 0, ffmpeg.Stderr);
        byte[] ours = new byte[all.Length];
        if (format == "mulaw")
        {
            MuLaw.Encode(all, ours);
        }
        else
        {
            ALaw.Encode(all, ours);
        }

        Assert.Equal(ffmpeg.Stdout.Length, ours.Length);
        // ffmpeg picks the nearest reconstruction level; G.711 places its decision levels at the interval
        // ends, which differ only right at segment boundaries. Elsewhere the codes must be identical, and
        // where they differ, the two codes must be neighbours (same sign, adjacent level).
        Func<byte, short> decode = format == "mulaw" ? MuLaw.Decode : ALaw.Decode;
        int mismatches = 0;
        for (int i = 0; i < ours.Length; i++)
        {
            if (ours[i] == ffmpeg.Stdout[i])
            {
                continue;
            }

            mismatches++;
            int ourLevel = decode(ours[i]);
            int ffmpegLevel = decode(ffmpeg.Stdout[i]);
            Assert.True(Math.Sign(ourLevel) == Math.Sign(ffmpegLevel) || ourLevel == 0 || ffmpegLevel == 0, $"sample {all[i]}: {ours[i]:X2} vs {ffmpeg.Stdout[i]:X2}");
            int between = Enumerable.Range(0, 256).Count(c => decode((byte)c) > Math.Min(ourLevel, ffmpegLevel) && decode((byte)c) < Math.Max(ourLevel, ffmpegLevel));
            Assert.True(between == 0, $"sample {all[i]}: {ours[i]:X2} ({ourLevel}) vs {ffmpeg.Stdout[i]:X2} ({ffmpegLevel}) are not adjacent levels");
        }

        Assert.True(mismatches < ours.Length / 50, $"{mismatches} codes differ from ffmpeg");

        // And ffmpeg's decoder agrees with ours on every code.
        byte[] codes = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        string codeFile = dir.File("codes.raw");
        File.WriteAllBytes(codeFile, codes);
        ExternalTool.Result decoded = ExternalTool.Run("ffmpeg", "ffmpeg", "-v", "error", "-f", format, "-ar", "8000", "-ac", "1", "-i", codeFile,
            "-f", "s16le", "-");
        Assert.True(decoded.ExitCode == 0, decoded.Stderr);
        short[] theirs = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(decoded.Stdout).ToArray();
        short[] mine = new short[256];
        if (format == "mulaw")
        {
            MuLaw.Decode(codes, mine);
        }
        else
        {
            ALaw.Decode(codes, mine);
        }

        Assert.Equal(theirs, mine);
    }
}
