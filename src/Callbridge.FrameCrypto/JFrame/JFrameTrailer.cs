namespace Callbridge.FrameCrypto.JFrame;

/// <summary>
/// The JFrame trailer <c>IV (12) | IV length (1) | key slot (1)</c> at the end of a frame, located without
/// any key. Context.ts reads the IV-length byte whole (doc/e2ee.md calls it R|IV_LENGTH) and so do we.
/// </summary>
public readonly record struct JFrameTrailer(int ClearPrefixLength, int PayloadLength, byte IvLengthByte, byte KeySlot)
{
    /// <summary>Minimum JFrame length for a clear prefix of length N: N + tag + trailer.</summary>
    public static int MinimumLength(int clearPrefixLength) => clearPrefixLength + JFrameContext.Overhead;

    /// <summary>
    /// Splits <paramref name="frame"/> into prefix, payload, tag and trailer for a clear prefix length.
    /// Returns <see cref="JFrameDropReason.None"/>, <see cref="JFrameDropReason.TooShort"/> or
    /// <see cref="JFrameDropReason.BadIvLength"/>.
    /// </summary>
    public static JFrameDropReason TryParse(ReadOnlySpan<byte> frame, int clearPrefixLength, out JFrameTrailer trailer)
    {
        trailer = default;
        if (frame.Length < 2)
        {
            return JFrameDropReason.TooShort;
        }

        byte ivLength = frame[^2];
        if (ivLength != JFrameContext.IvLength)
        {
            return JFrameDropReason.BadIvLength;
        }

        if (frame.Length < MinimumLength(clearPrefixLength))
        {
            return JFrameDropReason.TooShort;
        }

        trailer = new JFrameTrailer(clearPrefixLength, frame.Length - MinimumLength(clearPrefixLength), ivLength, frame[^1]);
        return JFrameDropReason.None;
    }
}
