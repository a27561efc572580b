using System.Buffers.Binary;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.FrameCrypto.SFrame;

namespace Callbridge.FrameCrypto.Classification;

/// <summary>
/// Per-frame ciphertext evidence for the media core's E2EE detector. Keyless and allocation-free.
/// </summary>
public static class FrameClassifier
{
    // RFC 9605 §4.5: the shortest tag among the defined suites (AES_128_CTR_HMAC_SHA256_32).
    private const int MinSFrameTag = 4;

    public static FrameClassification Classify(ReadOnlySpan<byte> frame, MediaKind kind)
    {
        var evidence = FrameEvidence.None;
        byte slot = 0;
        uint ivSsrc = 0;

        // JFrame trailer (e2ee-jframe §2): ... | IV (12) | 0x0C | slot. The smallest clear prefix is 1 (audio)
        // or 3 (VP8 delta).
        int minimumPrefix = kind == MediaKind.Video ? 3 : 1;
        if (frame.Length >= minimumPrefix + JFrameContext.Overhead && frame[^2] == JFrameContext.IvLength && frame[^1] < JFrameContext.KeyRingSize)
        {
            evidence |= FrameEvidence.JFrameTrailer;
            slot = frame[^1];
            var iv = frame.Slice(frame.Length - 2 - JFrameContext.IvLength, JFrameContext.IvLength);
            ivSsrc = BinaryPrimitives.ReadUInt32BigEndian(iv);
            if (iv[8] == 0 && iv[9] == 0)
            {
                evidence |= FrameEvidence.JFrameCounterHighBytesZero;
            }
        }

        // RFC 9605 §4.3 header.
        SFrameHeader header = default;
        if (SFrameHeader.TryParse(frame, out header, out int headerLength) && frame.Length - headerLength >= MinSFrameTag)
        {
            evidence |= FrameEvidence.SFrameHeader;
        }

        OpusPacketError? opus = null;
        if (kind != MediaKind.Video)
        {
            opus = OpusPacketValidator.Validate(frame);
            if (opus == OpusPacketError.None)
            {
                evidence |= FrameEvidence.ClearOpus;
            }
        }

        Vp8FrameError? vp8 = null;
        if (kind != MediaKind.Audio)
        {
            vp8 = Vp8FrameValidator.Validate(frame, out bool isKeyFrame);
            if (vp8 == Vp8FrameError.None)
            {
                evidence |= FrameEvidence.ClearVp8;
                if (isKeyFrame)
                {
                    evidence |= FrameEvidence.Vp8KeyFrameStartCode;
                }
            }
        }

        var likely = (evidence & FrameEvidence.JFrameTrailer) != 0 ? FrameFormat.JFrame
            : (evidence & (FrameEvidence.ClearOpus | FrameEvidence.ClearVp8)) != 0 ? FrameFormat.Clear
            : (evidence & FrameEvidence.SFrameHeader) != 0 ? FrameFormat.SFrame
            : FrameFormat.Unknown;
        return new FrameClassification(evidence, likely, slot, ivSsrc, header, opus, vp8);
    }
}
