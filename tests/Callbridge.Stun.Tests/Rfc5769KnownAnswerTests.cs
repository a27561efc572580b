using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Callbridge.Stun.Tests;

public class Rfc5769KnownAnswerTests
{
    private static readonly byte[] ShortTermKey = StunCredentials.ShortTermKey(Rfc5769Vectors.ShortTermPassword);

    [Fact]
    public void SampleRequest_ParsesAttributesAndVerifiesIntegrityAndFingerprint()
    {
        Assert.Equal(StunParseError.None, StunMessage.TryParse(Rfc5769Vectors.Request, out StunMessage message, out int consumed));
        Assert.Equal(108, consumed);
        Assert.Equal(StunMessageType.BindingRequest, message.Type);
        Assert.Equal(Convert.FromHexString("b7e7a701bc34d686fa87dfae"), message.TransactionId.ToArray());
        Assert.True(message.TryGetSoftware(out ReadOnlySpan<byte> software));
        Assert.Equal("STUN test client", Encoding.UTF8.GetString(software));
        Assert.True(message.TryGetPriority(out uint priority));
        Assert.Equal(0x6e0001ffu, priority);
        Assert.True(message.TryGetIceControlled(out ulong tieBreaker));
        Assert.Equal(0x932ff9b151263b36ul, tieBreaker);
        Assert.False(message.TryGetIceControlling(out _));
        Assert.True(message.TryGetUsername(out ReadOnlySpan<byte> username));
        Assert.Equal("evtj:h6vY", Encoding.UTF8.GetString(username));
        Assert.True(message.VerifyMessageIntegrity(ShortTermKey));
        Assert.False(message.VerifyMessageIntegrity("wrong"u8));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void SampleIPv4Response_DecodesXorMappedAddress()
    {
        Assert.Equal(StunParseError.None, StunMessage.TryParse(Rfc5769Vectors.ResponseIPv4, out StunMessage message, out _));
        Assert.Equal(StunMessageType.BindingSuccess, message.Type);
        Assert.True(message.TryGetXorMappedAddress(out StunAddress mapped));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), mapped.ToIPEndPoint());
        Assert.True(message.VerifyMessageIntegrity(ShortTermKey));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void SampleIPv6Response_DecodesXorMappedAddress()
    {
        Assert.Equal(StunParseError.None, StunMessage.TryParse(Rfc5769Vectors.ResponseIPv6, out StunMessage message, out _));
        Assert.True(message.TryGetXorMappedAddress(out StunAddress mapped));
        Assert.Equal(AddressFamily.InterNetworkV6, mapped.Family);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), mapped.ToIPEndPoint());
        Assert.True(message.VerifyMessageIntegrity(ShortTermKey));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void SampleLongTermRequest_VerifiesWithMd5Key()
    {
        Assert.Equal(StunParseError.None, StunMessage.TryParse(Rfc5769Vectors.RequestLongTerm, out StunMessage message, out _));
        Assert.True(message.TryGetUsername(out ReadOnlySpan<byte> username));
        Assert.Equal(Rfc5769Vectors.LongTermUsername, Encoding.UTF8.GetString(username));
        byte[] key = StunCredentials.LongTermKey(Rfc5769Vectors.LongTermUsername, "example.org", "TheMatrIX");
        Assert.True(message.VerifyMessageIntegrity(key));
        Assert.False(message.HasFingerprint);
        Assert.False(message.VerifyFingerprint());
    }

    [Fact]
    public void Writer_ReproducesSampleIPv4ResponseByteForByte()
    {
        byte[] buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccess, Convert.FromHexString("b7e7a701bc34d686fa87dfae"));
        // RFC 5769 pads SOFTWARE with a space; write the padding byte as part of a raw attribute of declared length 11.
        writer.AddSoftware("test vector");
        writer.AddXorMappedAddress(StunAddress.FromEndPoint(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853)));
        int softwarePad = StunMessage.HeaderLength + 4 + 11;
        buffer[softwarePad] = 0x20;
        writer.AddMessageIntegrity(ShortTermKey);
        writer.AddFingerprint();
        Assert.Equal(Convert.ToHexString(Rfc5769Vectors.ResponseIPv4), Convert.ToHexString(writer.Written));
    }

    [Fact]
    public void Writer_ReproducesSampleIPv6ResponseByteForByte()
    {
        byte[] buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccess, Convert.FromHexString("b7e7a701bc34d686fa87dfae"));
        writer.AddSoftware("test vector");
        buffer[StunMessage.HeaderLength + 4 + 11] = 0x20;
        writer.AddXorMappedAddress(StunAddress.FromEndPoint(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853)));
        writer.AddMessageIntegrity(ShortTermKey);
        writer.AddFingerprint();
        Assert.Equal(Convert.ToHexString(Rfc5769Vectors.ResponseIPv6), Convert.ToHexString(writer.Written));
    }

    [Fact]
    public void FlippingAnyCoveredByte_BreaksIntegrityOrFingerprint()
    {
        for (int i = 0; i < Rfc5769Vectors.Request.Length; i++)
        {
            byte[] copy = (byte[])Rfc5769Vectors.Request.Clone();
            copy[i] ^= 0x01;
            if (StunMessage.TryParse(copy, out StunMessage message, out _) != StunParseError.None)
            {
                continue;
            }

            Assert.False(message.VerifyMessageIntegrity(ShortTermKey) && message.VerifyFingerprint(), $"byte {i} flipped went unnoticed");
        }
    }
}
