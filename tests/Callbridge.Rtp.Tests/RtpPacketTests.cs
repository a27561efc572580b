using Callbridge.Rtp;

namespace Callbridge.Rtp.Tests;

public class RtpPacketTests
{
    // RFC 3550 §5.1 fixed header: V=2 P=0 X=0 CC=0 | M=1 PT=111 | seq 0x1234 | ts 0xDEADBEEF | SSRC 0x01020304.
    private static readonly byte[] Minimal =
    [
        0x80, 0xEF, 0x12, 0x34,
        0xDE, 0xAD, 0xBE, 0xEF,
        0x01, 0x02, 0x03, 0x04,
        0xAA, 0xBB, 0xCC,
    ];

    [Fact]
    public void ParsesFixedHeaderAndSlicesPayloadWithoutCopy()
    {
        Assert.Equal(RtpParseError.None, RtpPacket.TryParse(Minimal, out var packet, out int consumed));
        Assert.Equal(Minimal.Length, consumed);
        Assert.True(packet.Marker);
        Assert.Equal(111, packet.PayloadType);
        Assert.Equal(0x1234, packet.SequenceNumber);
        Assert.Equal(0xDEADBEEFu, packet.Timestamp);
        Assert.Equal(0x01020304u, packet.Ssrc);
        Assert.Equal(0, packet.CsrcCount);
        Assert.False(packet.HasExtension);
        Assert.Equal(RtpHeaderExtensionForm.None, packet.ExtensionForm);
        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC }, packet.Payload.ToArray());
        Assert.True(packet.Payload.Overlaps(Minimal));
        Assert.Equal(12, packet.HeaderLength);
    }

    [Fact]
    public void ParsesCsrcListExtensionAndPadding()
    {
        byte[] data =
        [
            0xB2, 0x60, 0x00, 0x01, // V=2 P=1 X=1 CC=2, M=0 PT=96, seq 1
            0x00, 0x00, 0x00, 0x10,
            0x11, 0x11, 0x11, 0x11,
            0xC1, 0xC1, 0xC1, 0xC1, // CSRC 1
            0xC2, 0xC2, 0xC2, 0xC2, // CSRC 2
            0xBE, 0xDE, 0x00, 0x01, // one-byte extension, 1 word
            0x10, 0x7F, 0x00, 0x00, // id 1 len 1 value 0x7F, then padding
            0x01, 0x02,             // payload
            0x00, 0x00, 0x03,       // 3 bytes of padding, count last
        ];
        Assert.Equal(RtpParseError.None, RtpPacket.TryParse(data, out var packet, out _));
        Assert.Equal(2, packet.CsrcCount);
        Assert.Equal(0xC1C1C1C1u, packet.GetCsrc(0));
        Assert.Equal(0xC2C2C2C2u, packet.GetCsrc(1));
        Assert.True(packet.HasExtension);
        Assert.Equal(RtpHeaderExtensionForm.OneByte, packet.ExtensionForm);
        Assert.True(packet.TryGetExtension(1, out var level));
        Assert.Equal(new byte[] { 0x7F }, level.ToArray());
        Assert.Equal(new byte[] { 0x01, 0x02 }, packet.Payload.ToArray());
        Assert.Equal(3, packet.PaddingLength);

        var written = new byte[packet.GetSerializedLength()];
        Assert.Equal(data.Length, packet.WriteTo(written));
        Assert.Equal(data, written);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x00, 0x00 }, RtpParseError.TooShort)]
    [InlineData(new byte[] { 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, RtpParseError.UnsupportedVersion)]
    [InlineData(new byte[] { 0x81, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3 }, RtpParseError.CsrcTruncated)]
    [InlineData(new byte[] { 0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE }, RtpParseError.ExtensionHeaderTruncated)]
    [InlineData(new byte[] { 0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0, 2, 0x10, 0, 0, 0 }, RtpParseError.ExtensionTruncated)]
    [InlineData(new byte[] { 0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 }, RtpParseError.InvalidPadding)]
    [InlineData(new byte[] { 0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3 }, RtpParseError.InvalidPadding)]
    public void RejectsMalformedWithTheSpecificReason(byte[] data, RtpParseError expected)
    {
        Assert.Equal(expected, RtpPacket.TryParse(data, out _, out int consumed));
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void EveryPrefixGivesTheExpectedReason()
    {
        // CC=1, X=1 with a 1-word extension, 4 payload bytes, 4 bytes padding.
        byte[] data =
        [
            0xB1, 0x08, 0xFF, 0xFF, 0, 0, 0, 1, 0, 0, 0, 2,
            0, 0, 0, 3,
            0xBE, 0xDE, 0x00, 0x01, 0x20, 0xAB, 0xCD, 0x00,
            9, 9, 9, 9,
            0, 0, 0, 4,
        ];
        Assert.Equal(RtpParseError.None, RtpPacket.TryParse(data, out _, out _));
        for (int length = 0; length < data.Length; length++)
        {
            var error = RtpPacket.TryParse(data.AsSpan(0, length), out _, out _);
            var expected = length switch
            {
                < 12 => RtpParseError.TooShort,
                < 16 => RtpParseError.CsrcTruncated,
                < 20 => RtpParseError.ExtensionHeaderTruncated,
                < 24 => RtpParseError.ExtensionTruncated,
                // Padding count is the last byte of the prefix: 0 or a payload byte larger than what remains.
                _ => RtpParseError.InvalidPadding,
            };
            Assert.True(expected == error, $"prefix {length}: {error}");
        }
    }

    [Fact]
    public void WritesPacketBuiltByCaller()
    {
        Span<byte> csrc = [0, 0, 0, 7];
        Span<byte> extension = stackalloc byte[16];
        var writer = new RtpHeaderExtensionWriter(extension, RtpHeaderExtensionForm.OneByte);
        Span<byte> value = stackalloc byte[3];
        new AbsSendTime(0x123456).WriteTo(value);
        Assert.True(writer.TryAdd(3, value));
        var body = writer.Complete();
        var packet = new RtpPacket
        {
            Marker = true,
            PayloadType = 96,
            SequenceNumber = 65535,
            Timestamp = 90000,
            Ssrc = 42,
            CsrcBytes = csrc,
            HasExtension = true,
            ExtensionProfile = writer.Profile,
            ExtensionBody = body,
            Payload = "hello"u8,
            PaddingLength = 2,
        };
        var buffer = new byte[packet.GetSerializedLength()];
        Assert.Equal(buffer.Length, packet.WriteTo(buffer));
        Assert.Equal(12 + 4 + 4 + 4 + 5 + 2, buffer.Length);

        Assert.Equal(RtpParseError.None, RtpPacket.TryParse(buffer, out var parsed, out _));
        Assert.True(parsed.Marker);
        Assert.Equal(96, parsed.PayloadType);
        Assert.Equal(65535, parsed.SequenceNumber);
        Assert.Equal(7u, parsed.GetCsrc(0));
        Assert.Equal("hello"u8.ToArray(), parsed.Payload.ToArray());
        Assert.Equal(2, parsed.PaddingLength);
        Assert.True(parsed.TryGetExtension(3, out var ext));
        Assert.True(AbsSendTime.TryParse(ext, out var time));
        Assert.Equal(0x123456u, time.Value);
    }

    [Fact]
    public void WriteRejectsTooSmallDestination()
    {
        Assert.Equal(RtpParseError.None, RtpPacket.TryParse(Minimal, out var packet, out _));
        var small = new byte[Minimal.Length - 1];
        bool threw = false;
        try
        {
            packet.WriteTo(small);
        }
        catch (ArgumentException)
        {
            threw = true;
        }

        Assert.True(threw);
    }

    [Fact]
    public void PeeksSequenceNumber()
    {
        Assert.True(RtpPacket.TryPeekSequenceNumber(Minimal, out ushort seq));
        Assert.Equal(0x1234, seq);
        Assert.False(RtpPacket.TryPeekSequenceNumber(Minimal.AsSpan(0, 11), out _));
    }
}
