using Callbridge.Media;
using Callbridge.Rtp;

namespace Callbridge.Media.Tests;

public class OpusTests
{
    [Theory]
    [InlineData(new byte[] { 0xFC, 1, 2 }, 960)]     // config 31 (CELT FB 20 ms), code 0
    [InlineData(new byte[] { 0x78, 1 }, 960)]        // config 15 (hybrid FB 20 ms), code 0
    [InlineData(new byte[] { 0x0B, 0x01, 2 }, 960)]  // config 1 (SILK NB 20 ms), code 3, one frame
    [InlineData(new byte[] { 0x09, 1 }, 1920)]       // config 1, code 1: two frames
    [InlineData(new byte[] { 0x1B, 0x03, 0 }, -1)]   // config 3 (SILK 60 ms), code 3, 3 frames = 180 ms > 120 ms
    [InlineData(new byte[] { 0x0B, 0x00 }, -1)]      // code 3 with zero frames
    [InlineData(new byte[] { }, -1)]
    public void TocGivesTheDuration(byte[] packet, int expected) =>
        Assert.Equal(expected, OpusToc.GetSampleCount(packet));

    [Fact]
    public void A_transformed_payload_is_packetized_with_the_duration_given_and_a_dropped_frame_still_advances_the_clock()
    {
        var packetizer = new OpusPacketizer(0xAA, 111, 10, 1000);
        var buffer = new byte[64];
        // An encrypted payload need not start with a valid TOC (0x0B 0x00 is code 3 with zero frames).
        byte[] ciphertext = [0x0B, 0x00, 0x42, 0x43];
        Assert.Equal(-1, packetizer.Packetize(ciphertext, buffer));
        int length = packetizer.Packetize(ciphertext, 960, buffer);
        Assert.Equal(RtpParseError.None, RtpPacket.TryParse(buffer.AsSpan(0, length), out RtpPacket first, out _));
        Assert.Equal((10, 1000u), (first.SequenceNumber, first.Timestamp));
        Assert.Equal(ciphertext, first.Payload.ToArray());

        packetizer.Skip(960);
        length = packetizer.Packetize(ciphertext, 480, buffer);
        Assert.Equal(RtpParseError.None, RtpPacket.TryParse(buffer.AsSpan(0, length), out RtpPacket second, out _));
        Assert.Equal((11, 2920u), (second.SequenceNumber, second.Timestamp));
        Assert.Equal(3400u, packetizer.Timestamp);
    }

    [Fact]
    public void PacketizerAndDepacketizerRoundTripOneFramePerPacket()
    {
        var packetizer = new OpusPacketizer(0xAA, 111, 65535, 1000);
        var depacketizer = new OpusDepacketizer();
        var wire = new byte[200];
        var frame = new byte[200];
        byte[][] opus = [[0xFC, 1, 2, 3], [0xFC, 4, 5], [0xFC, 6]];
        var results = new List<FrameInfo>();
        for (int i = 0; i < opus.Length; i++)
        {
            int length = packetizer.Packetize(opus[i], wire, startOfTalkspurt: i == 0);
            Assert.True(length > 0);
            if (i == 1)
            {
                continue; // lost
            }

            Assert.Equal(RtpParseError.None, RtpPacket.TryParse(wire.AsSpan(0, length), out var packet, out _));
            Assert.Equal(i == 0, packet.Marker);
            Assert.Equal(DepacketizeResult.Frame, depacketizer.Depacketize(packet, frame, out var info));
            Assert.Equal(opus[i], frame.AsSpan(0, info.Length).ToArray());
            results.Add(info);
        }

        Assert.Equal(1000u, results[0].RtpTimestamp);
        Assert.Equal(1000u + 2 * 960, results[1].RtpTimestamp);
        Assert.Equal(FrameFlags.KeyFrame, results[0].Flags);
        Assert.Equal(FrameFlags.KeyFrame | FrameFlags.AfterLoss, results[1].Flags);
        Assert.Equal(2, packetizer.SequenceNumber); // 65535, 0, 1 used
    }

    [Fact]
    public void EmptyOrMalformedPayloadIsInvalid()
    {
        var depacketizer = new OpusDepacketizer();
        RtpPacket.TryParse(Packets.Rtp(1), out var empty, out _);
        Assert.Equal(DepacketizeResult.Invalid, depacketizer.Depacketize(empty, new byte[10], out _));
        RtpPacket.TryParse(Packets.Rtp(2, payload: [0xFC, 1, 2, 3]), out var big, out _);
        Assert.Equal(DepacketizeResult.FrameTooLarge, depacketizer.Depacketize(big, new byte[2], out _));
    }
}
