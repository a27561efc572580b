using Callbridge.Rtp;

namespace Callbridge.Media.Tests;

internal static class Packets
{
    /// <summary>A 12-byte-header RTP packet with the given fields.</summary>
    public static byte[] Rtp(ushort seq, uint timestamp = 0, bool marker = false, byte payloadType = 96, uint ssrc = 0x1234, ReadOnlySpan<byte> payload = default)
    {
        var packet = new RtpPacket { Marker = marker, PayloadType = payloadType, SequenceNumber = seq, Timestamp = timestamp, Ssrc = ssrc, Payload = payload };
        var bytes = new byte[packet.GetSerializedLength()];
        packet.WriteTo(bytes);
        return bytes;
    }

    public static ushort Seq(ReadOnlySpan<byte> packet)
    {
        RtpPacket.TryPeekSequenceNumber(packet, out ushort seq);
        return seq;
    }
}
