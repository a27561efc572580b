using Callbridge.FrameCrypto.Classification;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.FrameCrypto.SFrame;
using Callbridge.FrameCrypto.Tests.Support;

namespace Callbridge.FrameCrypto.Tests.Classification;

/// <summary>
/// The classifier and detector on real frames from ffmpeg's libopus and libvpx, clear and then encrypted
/// by our JFrame and SFrame implementations.
/// </summary>
public sealed class ClassifierRealMediaTests
{
    private static readonly byte[] Material = Hex.Decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    public static TheoryData<string> Streams() => ["opus-voip", "opus-celt-stereo", "vp8"];

    [Theory]
    [MemberData(nameof(Streams))]
    public void Real_clear_frames_pass_the_codec_check_and_are_never_flagged(string stream)
    {
        var (frames, kind) = Load(stream);
        Assert.True(frames.Count >= 90, $"only {frames.Count} frames");
        var detector = new EncryptionDetector(kind);
        int keyFrames = 0;
        for (int i = 0; i < frames.Count; i++)
        {
            var c = FrameClassifier.Classify(frames[i], kind);
            Assert.True(c.Has(kind == MediaKind.Audio ? FrameEvidence.ClearOpus : FrameEvidence.ClearVp8), $"frame {i}: {c.Describe()}");
            keyFrames += c.Has(FrameEvidence.Vp8KeyFrameStartCode) ? 1 : 0;
            var verdict = detector.Observe(frames[i]);
            Assert.True(verdict is FrameFormat.Unknown or FrameFormat.Clear, $"frame {i} flagged {verdict}");
            if (i + 1 >= EncryptionDetector.DefaultRequiredRun * 2)
            {
                Assert.Equal(FrameFormat.Clear, verdict);
            }
        }

        if (kind == MediaKind.Video)
        {
            // -g 30 over 4 s: the first frame and every 30th are key frames.
            Assert.InRange(keyFrames, 4, 6);
        }
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void Jframe_encrypted_real_frames_are_detected_as_jframe(string stream)
    {
        var (frames, kind) = Load(stream);
        using var sender = new JFrameContext();
        sender.SetKey(Material, 0);
        var detector = new EncryptionDetector(kind);
        for (int i = 0; i < frames.Count; i++)
        {
            var encrypted = new byte[frames[i].Length + JFrameContext.Overhead];
            var frameKind = kind == MediaKind.Audio ? JFrameKind.Audio
                : (frames[i][0] & 1) == 0 ? JFrameKind.VideoKey : JFrameKind.VideoDelta;
            Assert.Equal(JFrameEncryptStatus.Success, sender.Encrypt(frameKind, 0x5EED, (uint)(i * 960), frames[i], encrypted, out _));
            var c = FrameClassifier.Classify(encrypted, kind);
            Assert.Equal(FrameFormat.JFrame, c.Likely);
            Assert.True(c.Has(FrameEvidence.JFrameTrailer | FrameEvidence.JFrameCounterHighBytesZero));
            var verdict = detector.Observe(c);
            Assert.Equal(i + 1 >= EncryptionDetector.DefaultRequiredRun ? FrameFormat.JFrame : FrameFormat.Unknown, verdict);
        }
    }

    [Theory]
    [MemberData(nameof(Streams))]
    public void Sframe_encrypted_real_frames_are_detected_as_sframe(string stream)
    {
        var (frames, kind) = Load(stream);
        using var sender = new SFrameContext(SFrameCipherSuite.AesGcm128Sha256_128);
        sender.SetKey(3, Material);
        var detector = new EncryptionDetector(kind);
        FrameFormat verdict = FrameFormat.Unknown;
        for (int i = 0; i < frames.Count; i++)
        {
            var encrypted = new byte[frames[i].Length + SFrameHeader.MaxLength + 16];
            Assert.Equal(SFrameEncryptStatus.Success, sender.Encrypt(3, default, frames[i], encrypted, out int written));
            verdict = detector.Observe(encrypted.AsSpan(0, written));
            Assert.NotEqual(FrameFormat.Clear, verdict);
            Assert.NotEqual(FrameFormat.JFrame, verdict);
        }

        Assert.Equal(FrameFormat.SFrame, verdict);
    }

    [Fact]
    public void Detector_follows_e2ee_switched_on_mid_call()
    {
        var frames = RealMedia.Opus;
        var detector = new EncryptionDetector(MediaKind.Audio);
        using var sender = new JFrameContext();
        sender.SetKey(Material, 0);
        for (int i = 0; i < 40; i++)
        {
            detector.Observe(frames[i]);
        }

        Assert.Equal(FrameFormat.Clear, detector.Verdict);
        for (int i = 40; i < 80; i++)
        {
            var encrypted = new byte[frames[i].Length + JFrameContext.Overhead];
            sender.Encrypt(JFrameKind.Audio, 1, (uint)i, frames[i], encrypted, out _);
            detector.Observe(encrypted);
        }

        Assert.Equal(FrameFormat.JFrame, detector.Verdict);
    }

    private static (IReadOnlyList<byte[]> Frames, MediaKind Kind) Load(string stream) => stream switch
    {
        "opus-voip" => (RealMedia.Opus, MediaKind.Audio),
        "opus-celt-stereo" => (RealMedia.OpusCelt, MediaKind.Audio),
        _ => (RealMedia.Vp8, MediaKind.Video),
    };
}
