namespace Callbridge.Stun.Tests;

public class StunParseErrorTests
{
    private static byte[] Header(int length, byte first = 0x00, uint cookie = StunMessage.MagicCookie)
    {
        byte[] b = new byte[20 + Math.Max(0, length)];
        b[0] = first;
        b[1] = 0x01;
        b[2] = (byte)(length >> 8);
        b[3] = (byte)length;
        b[4] = (byte)(cookie >> 24);
        b[5] = (byte)(cookie >> 16);
        b[6] = (byte)(cookie >> 8);
        b[7] = (byte)cookie;
        return b;
    }

    private static StunParseError Parse(byte[] input) => StunMessage.TryParse(input, out _, out _);

    [Fact]
    public void Header_Errors()
    {
        Assert.Equal(StunParseError.TooShort, Parse(new byte[19]));
        Assert.Equal(StunParseError.NotStun, Parse(Header(0, first: 0x80)));
        Assert.Equal(StunParseError.BadMagicCookie, Parse(Header(0, cookie: 0x2112A443)));
        Assert.Equal(StunParseError.LengthNotMultipleOfFour, Parse(Header(6)));
        Assert.Equal(StunParseError.Truncated, Parse(Header(8)[..24]));
        Assert.Equal(StunParseError.None, Parse(Header(0)));
    }

    [Fact]
    public void Attribute_Errors()
    {
        byte[] truncated = Header(8);
        truncated[20] = 0x80; truncated[21] = 0x22; truncated[23] = 8; // SOFTWARE claiming 8 bytes, 4 left
        Assert.Equal(StunParseError.AttributeTruncated, Parse(truncated));

        byte[] badFamily = Header(12);
        badFamily[21] = 0x20; badFamily[23] = 8; badFamily[25] = 0x03;
        Assert.Equal(StunParseError.InvalidAddressFamily, Parse(badFamily));

        byte[] badIntegrity = Header(20);
        badIntegrity[21] = 0x08; badIntegrity[23] = 16;
        Assert.Equal(StunParseError.InvalidAttributeLength, Parse(badIntegrity));

        byte[] badError = Header(8);
        badError[21] = 0x09; badError[23] = 4; badError[26] = 7; badError[27] = 0;
        Assert.Equal(StunParseError.InvalidErrorCode, Parse(badError));

        byte[] afterFingerprint = Header(16);
        afterFingerprint[20] = 0x80; afterFingerprint[21] = 0x28; afterFingerprint[23] = 4;
        afterFingerprint[28] = 0x80; afterFingerprint[29] = 0x22; afterFingerprint[31] = 4;
        Assert.Equal(StunParseError.AttributeAfterFingerprint, Parse(afterFingerprint));
    }

    [Fact]
    public void AttributesAfterIntegrity_AreIgnoredExceptFingerprint()
    {
        Span<byte> buffer = stackalloc byte[128];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, new byte[12]);
        writer.AddMessageIntegrity("k"u8);
        writer.AddPriority(5);
        Assert.Equal(StunParseError.None, StunMessage.TryParse(writer.Written, out StunMessage message, out _));
        Assert.False(message.TryGetPriority(out _));
        Assert.True(message.VerifyMessageIntegrity("k"u8));
    }

    [Fact]
    public void EveryPrefixOfAValidMessage_FailsWithATypedError()
    {
        for (int i = 0; i < Rfc5769Vectors.Request.Length; i++)
        {
            StunParseError error = StunMessage.TryParse(Rfc5769Vectors.Request.AsSpan(0, i), out _, out int consumed);
            Assert.True(error is StunParseError.TooShort or StunParseError.Truncated, $"prefix {i}: {error}");
            Assert.Equal(0, consumed);
        }
    }
}
