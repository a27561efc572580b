using System.Net;
using System.Text;

namespace Callbridge.Stun.Tests;

public class StunWriterTests
{
    private static readonly byte[] TransactionId = Convert.FromHexString("0102030405060708090a0b0c");

    [Fact]
    public void IceCheck_RoundTripsEveryAttribute()
    {
        byte[] key = StunCredentials.ShortTermKey("remotepassword0123456789");
        Span<byte> buffer = stackalloc byte[512];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, TransactionId);
        writer.AddUsername("rfrag:lfrag".AsSpan());
        writer.AddPriority(1853824767);
        writer.AddIceControlling(0x0102030405060708);
        writer.AddUseCandidate();
        writer.AddSoftware("callbridge");
        writer.AddMessageIntegrity(key);
        writer.AddMessageIntegritySha256(key);
        writer.AddFingerprint();

        Assert.Equal(StunParseError.None, StunMessage.TryParse(writer.Written, out StunMessage message, out int consumed));
        Assert.Equal(writer.Length, consumed);
        Assert.Equal(0, consumed % 4);
        Assert.True(message.TryGetUsername(out ReadOnlySpan<byte> username));
        Assert.Equal("rfrag:lfrag", Encoding.UTF8.GetString(username));
        Assert.True(message.TryGetPriority(out uint priority));
        Assert.Equal(1853824767u, priority);
        Assert.True(message.TryGetIceControlling(out ulong tie));
        Assert.Equal(0x0102030405060708ul, tie);
        Assert.True(message.HasUseCandidate);
        Assert.True(message.VerifyMessageIntegrity(key));
        Assert.True(message.VerifyMessageIntegritySha256(key));
        Assert.False(message.VerifyMessageIntegritySha256("other"u8));
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void ErrorResponse_CarriesCodeReasonAndUnknownAttributes()
    {
        Span<byte> buffer = stackalloc byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingError, TransactionId);
        writer.AddErrorCode(420, "Unknown Attribute");
        writer.AddUnknownAttributes([0x0031, 0x7FFF]);
        writer.AddFingerprint();

        Assert.Equal(StunParseError.None, StunMessage.TryParse(writer.Written, out StunMessage message, out _));
        Assert.Equal(StunClass.ErrorResponse, message.Type.Class);
        Assert.True(message.TryGetErrorCode(out int code, out ReadOnlySpan<byte> reason));
        Assert.Equal(420, code);
        Assert.Equal("Unknown Attribute", Encoding.UTF8.GetString(reason));
        Assert.True(message.TryGetUnknownAttributes(out ReadOnlySpan<byte> types));
        Assert.Equal(Convert.FromHexString("00317fff"), types.ToArray());
        Assert.True(message.VerifyFingerprint());
    }

    [Fact]
    public void MappedAddress_IsWrittenWithoutXor()
    {
        Span<byte> buffer = stackalloc byte[64];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccess, TransactionId);
        var endPoint = new IPEndPoint(IPAddress.Parse("198.18.0.7"), 4000);
        writer.AddMappedAddress(StunAddress.FromEndPoint(endPoint));
        Assert.Equal("0001000800010FA0C6120007", Convert.ToHexString(writer.Written.Slice(20, 12)));
        Assert.Equal(StunParseError.None, StunMessage.TryParse(writer.Written, out StunMessage message, out _));
        Assert.True(message.TryGetMappedAddress(out StunAddress address));
        Assert.Equal(endPoint, address.ToIPEndPoint());
    }

    [Fact]
    public void UnknownComprehensionRequiredAttribute_IsFound()
    {
        Span<byte> buffer = stackalloc byte[64];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, TransactionId);
        writer.AddAttribute((ushort)0x8123, [1, 2, 3]);
        Assert.Equal(StunParseError.None, StunMessage.TryParse(writer.Written, out StunMessage optionalOnly, out _));
        Assert.False(optionalOnly.TryFindUnknownComprehensionRequired(out _));
        writer.AddAttribute((ushort)0x0031, [9]);
        Assert.Equal(StunParseError.None, StunMessage.TryParse(writer.Written, out StunMessage message, out _));
        Assert.True(message.TryFindUnknownComprehensionRequired(out ushort type));
        Assert.Equal(0x0031, type);
    }

    [Fact]
    public void MessageType_EncodingMatchesRfc8489Figure3()
    {
        Assert.Equal(0x0001, StunMessageType.BindingRequest.Encode());
        Assert.Equal(0x0101, StunMessageType.BindingSuccess.Encode());
        Assert.Equal(0x0111, StunMessageType.BindingError.Encode());
        Assert.Equal(0x0011, StunMessageType.BindingIndication.Encode());
        for (int m = 0; m < 0x1000; m += 37)
        {
            for (int c = 0; c < 4; c++)
            {
                var type = new StunMessageType((StunMethod)m, (StunClass)c);
                Assert.Equal(type, StunMessageType.Decode(type.Encode()));
            }
        }
    }

    [Fact]
    public void TooSmallBuffer_Throws()
    {
        byte[] buffer = new byte[24];
        Assert.Throws<ArgumentException>(() =>
        {
            var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, TransactionId);
            writer.AddPriority(1);
            writer.AddPriority(2);
        });
    }
}
