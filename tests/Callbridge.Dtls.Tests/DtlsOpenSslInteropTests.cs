using Callbridge.Srtp;

namespace Callbridge.Dtls.Tests;

/// <summary>
/// Interop with OpenSSL 3's DTLS 1.2 over UDP loopback (run inside `unshare -n`): both handshake directions
/// complete, each side verifies the other's certificate against its fingerprint, and OpenSSL's
/// "EXTRACTOR-dtls_srtp" export equals ours byte for byte.
/// </summary>
public sealed class DtlsOpenSslInteropTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("SRTP_AES128_CM_SHA1_80", SrtpProfile.Aes128CmHmacSha1_80, 60)]
    [InlineData("SRTP_AEAD_AES_128_GCM", SrtpProfile.AeadAes128Gcm, 56)]
    public async Task Our_client_against_openssl_s_server(string opensslProfile, SrtpProfile profile, int length)
    {
        using OpenSslPeer peer = OpenSslPeer.CreateIdentity();
        DtlsCertificate ours = DtlsCertificate.Generate();
        int port = UdpDatagramEndpoint.FreePort();
        peer.Start($"s_server -dtls1_2 -accept 127.0.0.1:{port} -cert {peer.CertificatePath} -key {peer.KeyPath} " +
                   $"-use_srtp {opensslProfile} -keymatexport EXTRACTOR-dtls_srtp -keymatexportlen {length} -verify 1 -naccept 1 -mtu 1200");
        await peer.WaitForOutputAsync("ACCEPT", Limit);

        using var socket = new UdpDatagramEndpoint(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port));
        using var client = new DtlsSrtpTransport(DtlsRole.Client, ours, peer.Fingerprint(), socket);
        socket.Attach(client);
        DtlsHandshakeResult result = await client.HandshakeAsync().WaitAsync(Limit);

        Assert.True(result.IsConnected, $"{result.Status}: {result.Detail}\n{peer.Output}");
        Assert.Equal(profile, result.Keys!.Profile);
        await peer.WaitForOutputAsync("Keying material: ", Limit);
        Assert.Equal(peer.ExportedKeyingMaterial(), result.KeyingMaterial);
        Assert.Contains($"SRTP Extension negotiated, profile={opensslProfile}", peer.Output, StringComparison.Ordinal);
        Assert.Equal(ours.Der.ToArray(), peer.PrintedCertificate("Client certificate"));

        // close_notify ends OpenSSL's only connection (-naccept 1), so the server process exits.
        client.Close();
        Assert.True(await peer.WaitForExitAsync(Limit), "s_server did not see close_notify:\n" + peer.Output);
    }

    [Theory]
    [InlineData("SRTP_AES128_CM_SHA1_80", SrtpProfile.Aes128CmHmacSha1_80, 60)]
    [InlineData("SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80", SrtpProfile.AeadAes128Gcm, 56)]
    public async Task Openssl_s_client_against_our_server(string opensslProfiles, SrtpProfile profile, int length)
    {
        using OpenSslPeer peer = OpenSslPeer.CreateIdentity();
        DtlsCertificate ours = DtlsCertificate.Generate();
        using var socket = new UdpDatagramEndpoint();
        using var server = new DtlsSrtpTransport(DtlsRole.Server, ours, peer.Fingerprint(), socket);
        socket.Attach(server);
        Task<DtlsHandshakeResult> handshake = server.HandshakeAsync();

        peer.Start($"s_client -dtls1_2 -connect 127.0.0.1:{socket.LocalEndPoint.Port} -cert {peer.CertificatePath} -key {peer.KeyPath} " +
                   $"-use_srtp {opensslProfiles} -keymatexport EXTRACTOR-dtls_srtp -keymatexportlen {length} -mtu 1200");
        DtlsHandshakeResult result = await handshake.WaitAsync(Limit);

        Assert.True(result.IsConnected, $"{result.Status}: {result.Detail}\n{peer.Output}");
        Assert.Equal(profile, result.Keys!.Profile);
        await peer.WaitForOutputAsync("Keying material: ", Limit);
        Assert.Equal(peer.ExportedKeyingMaterial(), result.KeyingMaterial);
        Assert.Equal(ours.Der.ToArray(), peer.PrintedCertificate("Server certificate"));

        server.Close();
        Assert.True(await peer.WaitForExitAsync(Limit), "s_client did not see close_notify:\n" + peer.Output);
    }

    [Fact]
    public async Task An_openssl_made_identity_loads_from_pem_and_serves_openssl()
    {
        using OpenSslPeer identity = OpenSslPeer.CreateIdentity();
        using OpenSslPeer peer = OpenSslPeer.CreateIdentity();
        DtlsCertificate ours = DtlsCertificate.FromPem(File.ReadAllText(identity.CertificatePath), File.ReadAllText(identity.KeyPath));
        Assert.Equal(identity.Fingerprint(), ours.Fingerprint);

        using var socket = new UdpDatagramEndpoint();
        using var server = new DtlsSrtpTransport(DtlsRole.Server, ours, peer.Fingerprint(), socket);
        socket.Attach(server);
        Task<DtlsHandshakeResult> handshake = server.HandshakeAsync();
        peer.Start($"s_client -dtls1_2 -connect 127.0.0.1:{socket.LocalEndPoint.Port} -cert {peer.CertificatePath} -key {peer.KeyPath} " +
                   "-use_srtp SRTP_AES128_CM_SHA1_80 -keymatexport EXTRACTOR-dtls_srtp -keymatexportlen 60 -mtu 1200");
        DtlsHandshakeResult result = await handshake.WaitAsync(Limit);

        Assert.True(result.IsConnected, $"{result.Status}: {result.Detail}\n{peer.Output}");
        await peer.WaitForOutputAsync("Keying material: ", Limit);
        Assert.Equal(peer.ExportedKeyingMaterial(), result.KeyingMaterial);
    }

    [Fact]
    public async Task Openssl_client_offering_only_unsupported_profiles_gets_no_common_profile()
    {
        using OpenSslPeer peer = OpenSslPeer.CreateIdentity();
        using var socket = new UdpDatagramEndpoint();
        using var server = new DtlsSrtpTransport(DtlsRole.Server, DtlsCertificate.Generate(), peer.Fingerprint(), socket);
        socket.Attach(server);
        Task<DtlsHandshakeResult> handshake = server.HandshakeAsync();

        peer.Start($"s_client -dtls1_2 -connect 127.0.0.1:{socket.LocalEndPoint.Port} -cert {peer.CertificatePath} -key {peer.KeyPath} " +
                   "-use_srtp SRTP_AEAD_AES_256_GCM -mtu 1200");
        DtlsHandshakeResult result = await handshake.WaitAsync(Limit);

        Assert.True(result.Status == DtlsHandshakeStatus.NoCommonSrtpProfile, $"{result.Status}: {result.Detail}\n{peer.Output}");
        Assert.Null(result.Keys);
        await peer.WaitForOutputAsync("handshake failure", Limit);
    }

    [Fact]
    public async Task Openssl_client_with_an_unexpected_certificate_is_refused()
    {
        using OpenSslPeer peer = OpenSslPeer.CreateIdentity();
        using OpenSslPeer other = OpenSslPeer.CreateIdentity();
        using var socket = new UdpDatagramEndpoint();
        using var server = new DtlsSrtpTransport(DtlsRole.Server, DtlsCertificate.Generate(), other.Fingerprint(), socket);
        socket.Attach(server);
        Task<DtlsHandshakeResult> handshake = server.HandshakeAsync();

        peer.Start($"s_client -dtls1_2 -connect 127.0.0.1:{socket.LocalEndPoint.Port} -cert {peer.CertificatePath} -key {peer.KeyPath} " +
                   "-use_srtp SRTP_AES128_CM_SHA1_80 -mtu 1200");
        DtlsHandshakeResult result = await handshake.WaitAsync(Limit);

        Assert.Equal(DtlsHandshakeStatus.FingerprintMismatch, result.Status);
        Assert.Null(result.Keys);
        await peer.WaitForOutputAsync("bad certificate", Limit);
    }
}
