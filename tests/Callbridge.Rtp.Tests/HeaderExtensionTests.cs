using Callbridge.Rtp;

namespace Callbridge.Rtp.Tests;

public class HeaderExtensionTests
{
    [Fact]
    public void OneByteFormSkipsPaddingAndStopsAtId15()
    {
        // RFC 8285 §4.2: elements separated by 0x00 padding; id 15 ends processing.
        byte[] body =
        [
            0x10, 0xAA,             // id 1, 1 byte
            0x00, 0x00,             // padding
            0x21, 0xBB, 0xCC,       // id 2, 2 bytes
            0xF0, 0x31, 0xDD,       // id 15: stop (the bytes after are not an element)
            0x00, 0x00,
        ];
        var e = new RtpHeaderExtensionEnumerator(RtpHeaderExtensions.OneByteProfile, body);
        Assert.True(e.MoveNext());
        Assert.Equal(1, e.Id);
        Assert.Equal(new byte[] { 0xAA }, e.Value.ToArray());
        Assert.True(e.MoveNext());
        Assert.Equal(2, e.Id);
        Assert.Equal(new byte[] { 0xBB, 0xCC }, e.Value.ToArray());
        Assert.False(e.MoveNext());
        Assert.False(e.Malformed);
    }

    [Fact]
    public void TwoByteFormAllowsEmptyAndLongElements()
    {
        Span<byte> buffer = stackalloc byte[300];
        var writer = new RtpHeaderExtensionWriter(buffer, RtpHeaderExtensionForm.TwoByte);
        Assert.True(writer.TryAdd(200, ReadOnlySpan<byte>.Empty));
        var big = new byte[40];
        big.AsSpan().Fill(0x5A);
        Assert.True(writer.TryAdd(7, big));
        var body = writer.Complete();
        Assert.Equal(0, body.Length % 4);
        Assert.Equal(RtpHeaderExtensionForm.TwoByte, RtpHeaderExtensions.FormOf((ushort)(writer.Profile | 0x5)));

        var e = new RtpHeaderExtensionEnumerator(writer.Profile, body);
        Assert.True(e.MoveNext());
        Assert.Equal(200, e.Id);
        Assert.Equal(0, e.Value.Length);
        Assert.True(e.MoveNext());
        Assert.Equal(7, e.Id);
        Assert.Equal(big, e.Value.ToArray());
        Assert.False(e.MoveNext());
    }

    [Fact]
    public void OneByteWriterRefusesWhatTheFormCannotCarry()
    {
        Span<byte> buffer = stackalloc byte[64];
        var writer = new RtpHeaderExtensionWriter(buffer, RtpHeaderExtensionForm.OneByte);
        Assert.False(writer.TryAdd(0, [1]));
        Assert.False(writer.TryAdd(15, [1]));
        Assert.False(writer.TryAdd(1, ReadOnlySpan<byte>.Empty));
        Assert.False(writer.TryAdd(1, new byte[17]));
        Assert.True(writer.TryAdd(14, new byte[16]));
    }

    [Fact]
    public void ElementRunningPastTheBodyIsMalformed()
    {
        byte[] body = [0x13, 0x01, 0x02, 0x03]; // id 1 claims 4 bytes, 3 remain
        var e = new RtpHeaderExtensionEnumerator(RtpHeaderExtensions.OneByteProfile, body);
        Assert.False(e.MoveNext());
        Assert.True(e.Malformed);

        byte[] twoByte = [0x05]; // id without length byte
        var t = new RtpHeaderExtensionEnumerator(RtpHeaderExtensions.TwoByteProfile, twoByte);
        Assert.False(t.MoveNext());
        Assert.True(t.Malformed);
    }

    [Fact]
    public void UnknownProfileIsOpaque()
    {
        var e = new RtpHeaderExtensionEnumerator(0x1234, [0x10, 0x01, 0, 0]);
        Assert.False(e.MoveNext());
        Assert.Equal(RtpHeaderExtensionForm.Other, RtpHeaderExtensions.FormOf(0x1234));
    }

    [Fact]
    public void TypedHelpersRoundTripInOnePacket()
    {
        Span<byte> ext = stackalloc byte[32];
        Span<byte> scratch = stackalloc byte[16];
        var writer = new RtpHeaderExtensionWriter(ext, RtpHeaderExtensionForm.OneByte);
        Assert.True(writer.TryAdd(1, scratch[..new AudioLevel(true, 42).WriteTo(scratch)]));
        int midLength = MediaIdentification.WriteTo("audio0", scratch);
        Assert.Equal(6, midLength);
        Assert.True(writer.TryAdd(4, scratch[..midLength]));
        Assert.True(writer.TryAdd(3, scratch[..AbsSendTime.FromNtp(0x0000_0005_8000_0000UL).WriteTo(scratch)]));
        Assert.True(writer.TryAdd(5, scratch[..new TransportSequenceNumber(0xABCD).WriteTo(scratch)]));
        var body = writer.Complete();

        var packet = new RtpPacket { PayloadType = 111, HasExtension = true, ExtensionProfile = writer.Profile, ExtensionBody = body, Payload = [0xFC] };
        var wire = new byte[packet.GetSerializedLength()];
        packet.WriteTo(wire);
        Assert.Equal(RtpParseError.None, RtpPacket.TryParse(wire, out var parsed, out _));

        Assert.True(parsed.TryGetExtension(1, out var levelBytes));
        Assert.True(AudioLevel.TryParse(levelBytes, out var level));
        Assert.Equal(new AudioLevel(true, 42), level);

        Assert.True(parsed.TryGetExtension(4, out var midBytes));
        Assert.True(MediaIdentification.TryParse(midBytes, out var mid));
        Assert.True(MediaIdentification.Matches(mid, "audio0"));
        Assert.False(MediaIdentification.Matches(mid, "audio1"));

        Assert.True(parsed.TryGetExtension(3, out var astBytes));
        Assert.True(AbsSendTime.TryParse(astBytes, out var ast));
        // 5.5 s in 6.18 fixed point.
        Assert.Equal((5u << 18) | (1u << 17), ast.Value);
        Assert.Equal(TimeSpan.FromSeconds(5.5), ast.ToTimeSpan());

        Assert.True(parsed.TryGetExtension(5, out var twccBytes));
        Assert.True(TransportSequenceNumber.TryParse(twccBytes, out var twcc));
        Assert.Equal(0xABCD, twcc.Value);

        Assert.False(parsed.TryGetExtension(9, out _));
        int count = 0;
        foreach (var element in parsed.GetExtensions())
        {
            Assert.InRange(element.Id, 1, 5);
            count++;
        }

        Assert.Equal(4, count);
    }

    [Fact]
    public void HelpersRejectShortOrInvalidValues()
    {
        Assert.False(AudioLevel.TryParse([], out _));
        Assert.False(AbsSendTime.TryParse([1, 2], out _));
        Assert.False(TransportSequenceNumber.TryParse([1], out _));
        Assert.False(MediaIdentification.TryParse([], out _));
        Assert.False(MediaIdentification.TryParse("a b"u8, out _));
        Assert.Equal(-1, MediaIdentification.WriteTo("é", new byte[4]));
    }
}
