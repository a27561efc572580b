using Callbridge.FrameCrypto.Classification;
using Callbridge.FrameCrypto.Tests.Support;

namespace Callbridge.FrameCrypto.Tests.Classification;

public sealed class CodecValidatorTests
{
    [Theory]
    [InlineData("", OpusPacketError.Empty)]
    [InlineData("78", OpusPacketError.None)] // code 0, TOC only (a lost/DTX frame)
    [InlineData("7801020304", OpusPacketError.None)]
    [InlineData("79010203", OpusPacketError.Code1OddPayload)] // code 1, 3 bytes cannot split in two
    [InlineData("7901020304", OpusPacketError.None)]
    [InlineData("7a", OpusPacketError.Code2BadLength)] // code 2 without the length byte
    [InlineData("7a05010203", OpusPacketError.Code2BadLength)] // first frame 5 > 3 remaining
    [InlineData("7a02010203", OpusPacketError.None)]
    [InlineData("7afc", OpusPacketError.Code2BadLength)] // two-byte length cut short
    [InlineData("7b", OpusPacketError.Code3BadFrameCount)] // code 3 without the count byte
    [InlineData("7b00", OpusPacketError.Code3BadFrameCount)] // M = 0
    [InlineData("7b030102030405", OpusPacketError.Code3BadLengths)] // CBR, 5 bytes not a multiple of 3
    [InlineData("7b03010203", OpusPacketError.None)] // CBR, 3 frames of 1 byte
    [InlineData("1b03000000", OpusPacketError.Code3BadFrameCount)] // config 3 (SILK 60 ms) x 3 = 180 ms > 120 ms
    [InlineData("1b02", OpusPacketError.None)] // SILK 60 ms x 2 = 120 ms, empty frames
    [InlineData("fb30", OpusPacketError.Code3BadFrameCount)] // config 31 (CELT 20 ms) x 48 = 960 ms
    [InlineData("fb06", OpusPacketError.None)] // CELT 20 ms x 6 = 120 ms
    [InlineData("7b4305", OpusPacketError.Code3BadLengths)] // padding 5 overruns
    [InlineData("7b43ff", OpusPacketError.Code3BadLengths)] // padding length continues past the end
    [InlineData("7b430101020300", OpusPacketError.None)] // padding 1 (at the end), 3 CBR frames of 1 byte
    [InlineData("7b8302020102030405", OpusPacketError.None)] // VBR M = 3: lengths 2, 2, the last frame 1 byte
    [InlineData("7b8302090102030405", OpusPacketError.Code3BadLengths)] // VBR lengths 2 + 9 overrun 5 bytes
    public void Opus_packets(string hex, OpusPacketError expected)
    {
        Assert.Equal(expected, OpusPacketValidator.Validate(Hex.Decode(hex)));
    }

    [Fact]
    public void Opus_frame_too_long()
    {
        Assert.Equal(OpusPacketError.FrameTooLong, OpusPacketValidator.Validate(new byte[1277]));
        Assert.Equal(OpusPacketError.None, OpusPacketValidator.Validate(new byte[1276]));
    }

    [Theory]
    [InlineData("", Vp8FrameError.TooShort)]
    [InlineData("5000", Vp8FrameError.TooShort)]
    [InlineData("500000", Vp8FrameError.TooShort)] // key frame shorter than 10 bytes
    [InlineData("5000009d012b8002e00100", Vp8FrameError.BadStartCode)]
    [InlineData("5000009d012a0000e00100", Vp8FrameError.ZeroDimension)]
    [InlineData("5000009d012a8002e00100", Vp8FrameError.BadPartitionSize)] // partition 2 > 1 remaining byte
    [InlineData("5000009d012a8002e0010000", Vp8FrameError.None)]
    [InlineData("5e00009d012a8002e0010000", Vp8FrameError.BadVersion)] // version 7
    [InlineData("3100000000", Vp8FrameError.None)] // inter frame, show, first_part_size 1, 2 bytes follow
    [InlineData("710000", Vp8FrameError.BadPartitionSize)] // inter frame, first_part_size 3, nothing follows
    [InlineData("510000aa00", Vp8FrameError.None)] // inter frame, first_part_size 2, 2 bytes follow
    public void Vp8_frames(string hex, Vp8FrameError expected)
    {
        Assert.Equal(expected, Vp8FrameValidator.Validate(Hex.Decode(hex), out _));
    }

    [Fact]
    public void Random_opus_like_streams_never_get_an_encrypted_verdict()
    {
        // 200 tracks of 200 frames: a fixed TOC and random payload, the closest keyless stand-in for Opus.
        var rng = new Random(1234);
        for (int track = 0; track < 200; track++)
        {
            var detector = new EncryptionDetector(MediaKind.Audio);
            byte toc = (byte)(rng.Next(256) & 0xFC);
            for (int i = 0; i < 200; i++)
            {
                var frame = new byte[rng.Next(20, 200)];
                rng.NextBytes(frame);
                frame[0] = toc;
                var verdict = detector.Observe(frame);
                Assert.True(verdict is FrameFormat.Unknown or FrameFormat.Clear, $"track {track} frame {i}: {verdict}");
            }

            Assert.Equal(FrameFormat.Clear, detector.Verdict);
        }
    }
}
