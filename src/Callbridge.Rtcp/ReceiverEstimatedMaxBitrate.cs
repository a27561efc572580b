using System.Buffers.Binary;

namespace Callbridge.Rtcp;

/// <summary>
/// REMB (draft-alvestrand-rmcat-remb-03 §2.2): PSFB (PT 206), FMT 15 (application layer feedback).
/// <code>
/// |V=2|P| FMT=15  |   PT=206      |             length            |
/// |                  SSRC of packet sender                        |
/// |                  SSRC of media source (0)                     |
/// |  Unique identifier 'R' 'E' 'M' 'B'                            |
/// |  Num SSRC     | BR Exp    |  BR Mantissa                      |
/// |   SSRC feedback                                               |  (Num SSRC times)
/// </code>
/// Bitrate = mantissa (18 bits) * 2^exp (6 bits), bits per second.
/// </summary>
public readonly ref struct ReceiverEstimatedMaxBitrate
{
    public const byte Format = 15;

    private const int MantissaMax = (1 << 18) - 1;

    public uint SenderSsrc { get; init; }

    /// <summary>Estimated maximum bitrate in bits per second (as encoded: mantissa * 2^exp).</summary>
    public ulong Bitrate { get; init; }

    /// <summary>Sources the estimate applies to, 4 bytes each.</summary>
    public ReadOnlySpan<byte> SsrcBytes { get; init; }

    public int SsrcCount => SsrcBytes.Length / 4;

    public uint GetSsrc(int index) => BinaryPrimitives.ReadUInt32BigEndian(SsrcBytes.Slice(index * 4, 4));

    public static RtcpError TryParse(ReadOnlySpan<byte> data, out ReceiverEstimatedMaxBitrate remb, out int consumed)
    {
        remb = default;
        var error = FeedbackHeader.TryRead(data, RtcpPacketType.PayloadFeedback, Format, out uint sender, out _, out var fci, out consumed);
        if (error != RtcpError.None)
        {
            return error;
        }

        if (fci.Length < 8 || !fci[..4].SequenceEqual("REMB"u8))
        {
            consumed = 0;
            return RtcpError.NotRemb;
        }

        int count = fci[4];
        if (fci.Length < 8 + count * 4)
        {
            consumed = 0;
            return RtcpError.NotRemb;
        }

        int exponent = fci[5] >> 2;
        ulong mantissa = (ulong)((fci[5] & 0x03) << 16 | fci[6] << 8 | fci[7]);
        // The product can exceed 64 bits for exponents above 46: saturate rather than wrap.
        ulong bitrate = mantissa == 0 ? 0 : exponent > System.Numerics.BitOperations.LeadingZeroCount(mantissa) ? ulong.MaxValue : mantissa << exponent;
        remb = new ReceiverEstimatedMaxBitrate { SenderSsrc = sender, Bitrate = bitrate, SsrcBytes = fci.Slice(8, count * 4) };
        return RtcpError.None;
    }

    public int GetSerializedLength() => FeedbackHeader.Size + 8 + SsrcBytes.Length;

    public int WriteTo(Span<byte> destination)
    {
        int length = GetSerializedLength();
        RtcpWriter.EnsureLength(destination, length);
        if (SsrcBytes.Length % 4 != 0 || SsrcCount > 255)
        {
            RtcpWriter.ThrowInvalid("REMB holds 0..255 sources of 4 bytes.");
        }

        // Smallest exponent whose mantissa fits 18 bits; precision lost is rounded down (an estimate may only be lowered).
        int exponent = 0;
        ulong mantissa = Bitrate;
        while (mantissa > MantissaMax)
        {
            mantissa >>= 1;
            exponent++;
        }

        FeedbackHeader.Write(destination, RtcpPacketType.PayloadFeedback, Format, length, SenderSsrc, 0);
        "REMB"u8.CopyTo(destination[12..]);
        destination[16] = (byte)SsrcCount;
        destination[17] = (byte)(exponent << 2 | (int)(mantissa >> 16));
        destination[18] = (byte)(mantissa >> 8);
        destination[19] = (byte)mantissa;
        SsrcBytes.CopyTo(destination[20..]);
        return length;
    }
}
