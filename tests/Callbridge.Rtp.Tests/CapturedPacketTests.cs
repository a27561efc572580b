using Callbridge.Rtp;

namespace Callbridge.Rtp.Tests;

/// <summary>Opus RTP packets captured from ffmpeg 5.1's RTP muxer (libopus 16 kb/s, 20 ms frames) on loopback.</summary>
public class CapturedPacketTests
{
    private static readonly string[] Captured =
    [
        "80ef008eb45ceaf05d997bd7788201b76c4724ea02466ffab6038c8134d6e85e01eb1bb15eefc97818f20ab32141ccd1a69fe18a9b869d6b81ea049eeb408a2b47502809d0465300744db69f7ac3f400f9",
        "80ef008fb45ceeb05d997bd778a33ff7ac9885035c260aabff415a10469562c4b217d9990ff89089f215428062d73796b693ef7bb14b4fcb89e498771597ef0e94e9e5",
        "80ef0090b45cf2705d997bd7789ba312514500ace3d5accce1dc799c2503c79386d360e29ca69e08dde411be33a35ddc9fc4a9639b5295ae4dd7b2cfe5fd3e94298b",
        "80ef0091b45cf6305d997bd7789ba311b41cbf52288c781b1620c27b48a1967b5de645f0ea6cf136012dcbcc7d22fd2eeaeafe0055b4c7e4b0c571d408e4e28dabf69902181235449502",
    ];

    [Fact]
    public void ParsesCapturedOpusStream()
    {
        ushort? previousSeq = null;
        uint previousTs = 0;
        foreach (var hex in Captured)
        {
            var data = Convert.FromHexString(hex);
            Assert.Equal(RtpParseError.None, RtpPacket.TryParse(data, out var packet, out int consumed));
            Assert.Equal(data.Length, consumed);
            Assert.Equal(111, packet.PayloadType);
            Assert.True(packet.Marker);
            Assert.Equal(0x5d997bd7u, packet.Ssrc);
            Assert.False(packet.HasExtension);
            Assert.Equal(0, packet.CsrcCount);
            // TOC 0x78: config 15, hybrid full-band 20 ms, one frame (RFC 6716 §3.1).
            Assert.Equal(0x78, packet.Payload[0]);
            Assert.Equal(data.Length - 12, packet.Payload.Length);
            if (previousSeq is { } prev)
            {
                Assert.Equal(1, SequenceNumbers.Distance(prev, packet.SequenceNumber));
                Assert.Equal(960L, SequenceNumbers.TimestampDistance(previousTs, packet.Timestamp));
            }

            previousSeq = packet.SequenceNumber;
            previousTs = packet.Timestamp;

            var written = new byte[packet.GetSerializedLength()];
            packet.WriteTo(written);
            Assert.Equal(data, written);
        }
    }
}
