using Callbridge.Srtp;

namespace Callbridge.Dtls.Tests;

/// <summary>Both ends over real UDP sockets on 127.0.0.1 (run inside `unshare -n`), media demultiplexed per RFC 7983.</summary>
public sealed class DtlsUdpLoopbackTests
{
    [Fact]
    public async Task Handshake_over_udp_loopback_then_srtp_crosses_the_same_sockets()
    {
        DtlsCertificate clientCertificate = DtlsCertificate.Generate();
        DtlsCertificate serverCertificate = DtlsCertificate.Generate();
        using var serverSocket = new UdpDatagramEndpoint();
        using var clientSocket = new UdpDatagramEndpoint(serverSocket.LocalEndPoint);
        using var server = new DtlsSrtpTransport(DtlsRole.Server, serverCertificate, clientCertificate.Fingerprint, serverSocket);
        using var client = new DtlsSrtpTransport(DtlsRole.Client, clientCertificate, serverCertificate.Fingerprint, clientSocket);
        serverSocket.Attach(server);
        clientSocket.Attach(client);

        Task<DtlsHandshakeResult> serverResult = server.HandshakeAsync();
        DtlsHandshakeResult c = await client.HandshakeAsync().WaitAsync(TimeSpan.FromSeconds(30));
        DtlsHandshakeResult s = await serverResult.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(c.IsConnected, c.Detail);
        Assert.True(s.IsConnected, s.Detail);
        Assert.Equal(c.KeyingMaterial, s.KeyingMaterial);

        // SRTP from the client's socket to the server's, unprotected with the server's inbound keys.
        using SrtpSession sender = c.Keys!.CreateOutboundSession();
        using SrtpSession receiver = s.Keys!.CreateInboundSession();
        for (ushort seq = 1; seq <= 20; seq++)
        {
            byte[] packet = new byte[12 + 160 + sender.RtpTrailerLength];
            packet[0] = 0x80;
            packet[2] = (byte)(seq >> 8);
            packet[3] = (byte)seq;
            packet[11] = 0x42;
            packet.AsSpan(12, 160).Fill((byte)seq);
            Assert.Equal(SrtpStatus.Ok, sender.Protect(packet, 172, out int srtpLength));
            clientSocket.Send(packet.AsSpan(0, srtpLength));
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        for (ushort seq = 1; seq <= 20; seq++)
        {
            byte[] received = await serverSocket.Media.ReadAsync(timeout.Token);
            Assert.Equal(SrtpStatus.Ok, receiver.Unprotect(received, out int rtpLength));
            Assert.Equal(172, rtpLength);
            Assert.Equal(seq, (received[2] << 8) | received[3]);
            Assert.All(received.AsSpan(12, 160).ToArray(), b => Assert.Equal((byte)seq, b));
        }

        client.Close();
        await server.RemoteClosed.WaitAsync(TimeSpan.FromSeconds(5));
    }
}
