using System.Buffers.Binary;

namespace Callbridge.Media;

/// <summary>Receive side of RFC 4588 retransmission payloads.</summary>
public static class Rtx
{
    /// <summary>
    /// Splits an RTX payload (RFC 4588 §4) into the original sequence number (OSN) and the original
    /// payload. False when fewer than the 2 OSN bytes are present.
    /// <code>
    /// |            OSN                |  original RTP packet payload ...
    /// </code>
    /// The caller restores the original packet with the original payload type and SSRC (from SDP
    /// apt= and the RTX SSRC association) and this sequence number, then inserts it into the jitter buffer.
    /// </summary>
    public static bool TryUnwrap(ReadOnlySpan<byte> rtxPayload, out ushort originalSequenceNumber, out ReadOnlySpan<byte> originalPayload)
    {
        if (rtxPayload.Length < 2)
        {
            originalSequenceNumber = 0;
            originalPayload = default;
            return false;
        }

        originalSequenceNumber = BinaryPrimitives.ReadUInt16BigEndian(rtxPayload);
        originalPayload = rtxPayload[2..];
        return true;
    }
}
