namespace Callbridge.Srtp.Tests;

public sealed class SrtpMasterKeysTests
{
    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80, 16, 14)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 16, 12)]
    public void Exporter_output_splits_per_rfc5764_by_dtls_role(SrtpProfile profile, int keyLength, int saltLength)
    {
        // Byte i of the material is i, so every slice is recognizable by its first value.
        byte[] material = Enumerable.Range(0, 2 * (keyLength + saltLength)).Select(i => (byte)i).ToArray();
        Assert.Equal(material.Length, SrtpProfileInfo.KeyingMaterialLength(profile));

        SrtpMasterKeys client = SrtpMasterKeys.FromDtlsKeyingMaterial(profile, material, isDtlsClient: true);
        SrtpMasterKeys server = SrtpMasterKeys.FromDtlsKeyingMaterial(profile, material, isDtlsClient: false);

        Assert.Equal(material[..keyLength], client.LocalKey.ToArray());
        Assert.Equal(material[keyLength..(2 * keyLength)], client.RemoteKey.ToArray());
        Assert.Equal(material[(2 * keyLength)..((2 * keyLength) + saltLength)], client.LocalSalt.ToArray());
        Assert.Equal(material[((2 * keyLength) + saltLength)..], client.RemoteSalt.ToArray());

        Assert.Equal(client.LocalKey.ToArray(), server.RemoteKey.ToArray());
        Assert.Equal(client.RemoteKey.ToArray(), server.LocalKey.ToArray());
        Assert.Equal(client.LocalSalt.ToArray(), server.RemoteSalt.ToArray());
        Assert.Equal(client.RemoteSalt.ToArray(), server.LocalSalt.ToArray());
    }

    [Fact]
    public void Sessions_built_from_both_roles_interoperate_in_both_directions()
    {
        byte[] material = new byte[SrtpProfileInfo.KeyingMaterialLength(SrtpProfile.AeadAes128Gcm)];
        new Random(42).NextBytes(material);
        SrtpMasterKeys client = SrtpMasterKeys.FromDtlsKeyingMaterial(SrtpProfile.AeadAes128Gcm, material, true);
        SrtpMasterKeys server = SrtpMasterKeys.FromDtlsKeyingMaterial(SrtpProfile.AeadAes128Gcm, material, false);

        using SrtpSession clientOut = client.CreateOutboundSession();
        using SrtpSession clientIn = client.CreateInboundSession();
        using SrtpSession serverOut = server.CreateOutboundSession();
        using SrtpSession serverIn = server.CreateInboundSession();
        using SrtpSession wrongWay = client.CreateInboundSession();

        AssertFlows(clientOut, serverIn, 1);
        AssertFlows(serverOut, clientIn, 2);

        // The client's own inbound session holds the server's key: it must reject what the client sent.
        byte[] packet = TestPackets.Rtp(3, 3, 30);
        byte[] buffer = new byte[packet.Length + 16];
        packet.CopyTo(buffer, 0);
        Assert.Equal(SrtpStatus.Ok, clientOut.Protect(buffer, packet.Length, out int length));
        Assert.Equal(SrtpStatus.AuthenticationFailed, wrongWay.Unprotect(buffer.AsSpan(0, length), out _));
    }

    [Fact]
    public void Wrong_material_length_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => SrtpMasterKeys.FromDtlsKeyingMaterial(SrtpProfile.Aes128CmHmacSha1_80, new byte[56], true));
    }

    private static void AssertFlows(SrtpSession sender, SrtpSession receiver, ushort seq)
    {
        byte[] packet = TestPackets.Rtp(seq, 1234, 64);
        byte[] buffer = new byte[packet.Length + 16];
        packet.CopyTo(buffer, 0);
        Assert.Equal(SrtpStatus.Ok, sender.Protect(buffer, packet.Length, out int length));
        Assert.Equal(SrtpStatus.Ok, receiver.Unprotect(buffer.AsSpan(0, length), out int plainLength));
        Assert.Equal(packet, buffer.AsSpan(0, plainLength).ToArray());
    }
}
