namespace Callbridge.Srtp.Tests;

/// <summary>
/// Fixed key, salt and packet: libsrtp's output must equal an independent computation from .NET's
/// AES and HMAC (see <see cref="ReferenceSrtp"/>), which itself is first checked against RFC 3711 B.3.
/// </summary>
public sealed class SrtpKnownAnswerTests
{
    private static readonly byte[] MasterKey = TestPackets.Hex("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] MasterSalt = TestPackets.Hex("0EC675AD498AFEEBB6960B3AABE6");

    [Fact]
    public void Reference_key_derivation_matches_rfc3711_appendix_b3()
    {
        Assert.Equal(TestPackets.Hex("C61E7A93744F39EE10734AFE3FF7A087"), ReferenceSrtp.Derive(MasterKey, MasterSalt, ReferenceSrtp.LabelRtpEncryption, 16));
        Assert.Equal(TestPackets.Hex("30CBBC08863D8C85D49DB34A9AE1"), ReferenceSrtp.Derive(MasterKey, MasterSalt, ReferenceSrtp.LabelRtpSalt, 14));
        Assert.Equal(TestPackets.Hex("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4"), ReferenceSrtp.Derive(MasterKey, MasterSalt, ReferenceSrtp.LabelRtpAuthentication, 20));
    }

    [Fact]
    public void Reference_keystream_matches_rfc3711_appendix_b2()
    {
        // B.2: session key 2B7E...3C, salt F0F1...FD, SSRC 0, index 0: IV = F0F1...FD0000.
        byte[] iv = TestPackets.Hex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
        byte[] stream = ReferenceSrtp.Keystream(TestPackets.Hex("2B7E151628AED2A6ABF7158809CF4F3C"), iv, 48);
        Assert.Equal(TestPackets.Hex("E03EAD0935C95E80E166B16DD92B4EB4D23513162B02D0F72A43A2FE4A5F97AB41E95B3BB0A2E8DD477901E4FCA894C0"), stream);
    }

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80, 10)]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_32, 4)]
    public void Libsrtp_aes_cm_output_equals_independent_computation(SrtpProfile profile, int tagLength)
    {
        byte[] plain = TestPackets.Rtp(0x1234, 0xDEADBEEF, 172);
        byte[] expected = ReferenceSrtp.ProtectAesCm(MasterKey, MasterSalt, plain, 12, tagLength);

        using SrtpSession sender = SrtpSession.Create(profile, SrtpDirection.Outbound, MasterKey, MasterSalt);
        byte[] buffer = new byte[plain.Length + 16];
        plain.CopyTo(buffer, 0);
        Assert.Equal(SrtpStatus.Ok, sender.Protect(buffer, plain.Length, out int length));
        Assert.Equal(expected, buffer.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void Libsrtp_srtcp_output_equals_independent_computation()
    {
        byte[] plain = TestPackets.RtcpReceiverReport(0x5EC0_11D5);
        using SrtpSession sender = SrtpSession.Create(SrtpProfile.Aes128CmHmacSha1_80, SrtpDirection.Outbound, MasterKey, MasterSalt);

        // libsrtp numbers SRTCP packets from 1 (the index is incremented before use).
        for (uint index = 1; index <= 3; index++)
        {
            byte[] expected = ReferenceSrtp.ProtectRtcpAesCm(MasterKey, MasterSalt, plain, index);
            byte[] buffer = new byte[plain.Length + sender.RtcpTrailerLength];
            plain.CopyTo(buffer, 0);
            Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(buffer, plain.Length, out int length));
            Assert.Equal(expected, buffer.AsSpan(0, length).ToArray());
        }
    }

    [Fact]
    public void Libsrtp_gcm_output_equals_independent_computation()
    {
        byte[] salt = MasterSalt.AsSpan(0, 12).ToArray();
        byte[] plain = TestPackets.Rtp(0xBEEF, 0x0A0B0C0D, 90);
        byte[] expected = ReferenceSrtp.ProtectGcm(MasterKey, salt, plain, 12);

        using SrtpSession sender = SrtpSession.Create(SrtpProfile.AeadAes128Gcm, SrtpDirection.Outbound, MasterKey, salt);
        byte[] buffer = new byte[plain.Length + 16];
        plain.CopyTo(buffer, 0);
        Assert.Equal(SrtpStatus.Ok, sender.Protect(buffer, plain.Length, out int length));
        Assert.Equal(expected, buffer.AsSpan(0, length).ToArray());
    }
}
