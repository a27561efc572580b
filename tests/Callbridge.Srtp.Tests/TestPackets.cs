using System.Buffers.Binary;

namespace Callbridge.Srtp.Tests;

internal static class TestPackets
{
    /// <summary>A 12-byte-header RTP packet (V=2, PT 111) with a payload of <paramref name="payloadLength"/> patterned bytes.</summary>
    public static byte[] Rtp(ushort sequence, uint ssrc, int payloadLength, uint timestamp = 0x01020304)
    {
        byte[] packet = new byte[12 + payloadLength];
        packet[0] = 0x80;
        packet[1] = 111;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        for (int i = 0; i < payloadLength; i++)
        {
            packet[12 + i] = (byte)((i * 7) + sequence);
        }

        return packet;
    }

    /// <summary>
    /// An RTP packet with <paramref name="csrcCount"/> CSRCs (RFC 3550 §5.1) and, when asked, a one-byte-header
    /// extension block of <paramref name="extensionWords"/> 32-bit words (RFC 8285 §4.2).
    /// </summary>
    public static byte[] RtpWithCsrcsAndExtension(ushort sequence, uint ssrc, int payloadLength, int csrcCount, int extensionWords)
    {
        int header = 12 + (4 * csrcCount) + (extensionWords > 0 ? 4 + (4 * extensionWords) : 0);
        byte[] packet = new byte[header + payloadLength];
        packet[0] = (byte)(0x80 | (extensionWords > 0 ? 0x10 : 0) | csrcCount);
        packet[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        for (int c = 0; c < csrcCount; c++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12 + (4 * c)), 0x1000u + (uint)c);
        }

        if (extensionWords > 0)
        {
            int at = 12 + (4 * csrcCount);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at), 0xBEDE);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at + 2), (ushort)extensionWords);
            packet[at + 4] = 0x10; // id 1, length 1
            packet[at + 5] = 0x7F;
        }

        for (int i = header; i < packet.Length; i++)
        {
            packet[i] = (byte)(i + sequence);
        }

        return packet;
    }

    /// <summary>An RTCP receiver report with one report block (RFC 3550 §6.4.2), 32 bytes.</summary>
    public static byte[] RtcpReceiverReport(uint senderSsrc)
    {
        byte[] packet = new byte[32];
        packet[0] = 0x81;
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), senderSsrc);
        for (int i = 8; i < packet.Length; i++)
        {
            packet[i] = (byte)(i * 3);
        }

        return packet;
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex);
}
