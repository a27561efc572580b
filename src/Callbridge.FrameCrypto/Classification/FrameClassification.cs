using Callbridge.FrameCrypto.SFrame;

namespace Callbridge.FrameCrypto.Classification;

/// <summary>
/// The evidence one frame gives, with the parsed details an accumulator needs to connect frames.
/// </summary>
/// <param name="Evidence">Every check that held.</param>
/// <param name="Likely">
/// Single-frame guess: JFrame when the trailer is present, else Clear when the codec check holds, else SFrame
/// when a header parses, else Unknown. A track decision needs <see cref="EncryptionDetector"/>.
/// </param>
/// <param name="JFrameKeySlot">The trailer's key slot (valid with <see cref="FrameEvidence.JFrameTrailer"/>).</param>
/// <param name="JFrameIvSsrc">IV bytes 0..3, the sender SSRC for lib-jitsi-meet (valid with the trailer).</param>
/// <param name="SFrameHeader">The parsed header (valid with <see cref="FrameEvidence.SFrameHeader"/>).</param>
/// <param name="OpusError">Result of the Opus check (not run for video tracks).</param>
/// <param name="Vp8Error">Result of the VP8 check (not run for audio tracks).</param>
public readonly record struct FrameClassification(
    FrameEvidence Evidence,
    FrameFormat Likely,
    byte JFrameKeySlot,
    uint JFrameIvSsrc,
    SFrameHeader SFrameHeader,
    OpusPacketError? OpusError,
    Vp8FrameError? Vp8Error)
{
    public bool Has(FrameEvidence evidence) => (Evidence & evidence) == evidence;

    /// <summary>Operator-facing explanation (allocates; not for the media path).</summary>
    public string Describe()
    {
        var lines = new List<string> { $"likely: {Likely}" };
        lines.Add(Has(FrameEvidence.JFrameTrailer)
            ? $"jframe: trailer present (IV length 12, key slot {JFrameKeySlot}, IV SSRC 0x{JFrameIvSsrc:x8}" +
              (Has(FrameEvidence.JFrameCounterHighBytesZero) ? ", counter bytes 8-9 zero as lib-jitsi-meet writes them)" : ", counter bytes 8-9 not zero)")
            : "jframe: no trailer (IV-length byte not 12, key slot >= 16, or too short)");
        lines.Add(Has(FrameEvidence.SFrameHeader)
            ? $"sframe: header parses (KID {SFrameHeader.KeyId}, CTR {SFrameHeader.Counter}); any first byte parses, so this alone is weak"
            : "sframe: header truncated or no room for a tag");
        if (OpusError is { } opus)
        {
            lines.Add(opus == OpusPacketError.None
                ? "opus: well-formed packet (RFC 6716 §3.1-3.4); any TOC is valid, so this alone is weak"
                : $"opus: malformed ({opus})");
        }

        if (Vp8Error is { } vp8)
        {
            lines.Add(vp8 == Vp8FrameError.None
                ? "vp8: well-formed frame header (RFC 6386 §9.1)" + (Has(FrameEvidence.Vp8KeyFrameStartCode) ? ", key frame with start code 9d 01 2a" : ", inter frame")
                : $"vp8: malformed ({vp8})");
        }

        return string.Join(Environment.NewLine, lines);
    }
}
