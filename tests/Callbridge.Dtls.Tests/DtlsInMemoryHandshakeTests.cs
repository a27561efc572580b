using System.Diagnostics;
using Callbridge.Srtp;

namespace Callbridge.Dtls.Tests;

public sealed class DtlsInMemoryHandshakeTests
{
    private static readonly DtlsCertificate ClientCertificate = DtlsCertificate.Generate();
    private static readonly DtlsCertificate ServerCertificate = DtlsCertificate.Generate();
    private static readonly TimeSpan TestLimit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Handshake_exports_the_same_keys_on_both_sides_and_srtp_flows_both_ways()
    {
        var toServer = new InMemoryDatagramLink();
        var toClient = new InMemoryDatagramLink();
        (DtlsSrtpTransport client, DtlsSrtpTransport server) = InMemoryDatagramLink.Connect(ClientCertificate, ServerCertificate, toServer, toClient);
        using (client)
        using (server)
        {
            (DtlsHandshakeResult c, DtlsHandshakeResult s) = await Both(client, server);

            Assert.True(c.Status == DtlsHandshakeStatus.Connected, $"{c.Status}: {c.Detail}");
            Assert.True(s.Status == DtlsHandshakeStatus.Connected, $"{s.Status}: {s.Detail}");
            Assert.Equal(SrtpProfile.AeadAes128Gcm, c.Keys!.Profile);
            Assert.Equal(SrtpProfile.AeadAes128Gcm, s.Keys!.Profile);
            Assert.Equal(2 * (16 + 12), c.KeyingMaterial!.Length);
            Assert.Equal(c.KeyingMaterial, s.KeyingMaterial);
            Assert.Equal(ServerCertificate.Fingerprint, c.RemoteFingerprint);
            Assert.Equal(ClientCertificate.Fingerprint, s.RemoteFingerprint);

            SrtpFlow.AssertFlows(c.Keys, s.Keys, 1);
            SrtpFlow.AssertFlows(s.Keys, c.Keys, 2);
        }
    }

    [Fact]
    public async Task Handshake_survives_lost_and_reordered_datagrams()
    {
        // Lose the first ClientHello and a datagram of the server's certificate flight; swap two datagrams each way.
        var toServer = new InMemoryDatagramLink(dropOrdinals: [1, 4], delayOrdinals: [3]);
        var toClient = new InMemoryDatagramLink(dropOrdinals: [2], delayOrdinals: [3]);
        var tinyMtu = new DtlsSrtpOptions { MaxSendDatagramSize = 300 };
        (DtlsSrtpTransport client, DtlsSrtpTransport server) = InMemoryDatagramLink.Connect(
            ClientCertificate, ServerCertificate, toServer, toClient, tinyMtu, tinyMtu);
        using (client)
        using (server)
        {
            (DtlsHandshakeResult c, DtlsHandshakeResult s) = await Both(client, server);

            Assert.True(c.Status == DtlsHandshakeStatus.Connected, $"{c.Status}: {c.Detail}");
            Assert.True(s.Status == DtlsHandshakeStatus.Connected, $"{s.Status}: {s.Detail}");
            Assert.Equal(c.KeyingMaterial, s.KeyingMaterial);
            Assert.Equal(3, toServer.Dropped + toClient.Dropped);
            Assert.True(toServer.Reordered + toClient.Reordered >= 1);
            SrtpFlow.AssertFlows(c.Keys!, s.Keys!, 7);
        }
    }

    [Fact]
    public async Task A_lost_final_server_flight_is_resent_after_the_server_already_finished()
    {
        // The server's ChangeCipherSpec + Finished is lost. Its handshake has already returned, so only the
        // post-handshake receive loop can answer the client's retransmitted flight (RFC 6347 §4.2.4).
        var toServer = new InMemoryDatagramLink();
        var toClient = new InMemoryDatagramLink { DropFirstOfContentType = 20 };
        (DtlsSrtpTransport client, DtlsSrtpTransport server) = InMemoryDatagramLink.Connect(ClientCertificate, ServerCertificate, toServer, toClient);
        using (client)
        using (server)
        {
            (DtlsHandshakeResult c, DtlsHandshakeResult s) = await Both(client, server);
            Assert.True(c.Status == DtlsHandshakeStatus.Connected, $"{c.Status}: {c.Detail}");
            Assert.True(s.Status == DtlsHandshakeStatus.Connected, $"{s.Status}: {s.Detail}");
            Assert.Equal(1, toClient.Dropped);
            Assert.Equal(c.KeyingMaterial, s.KeyingMaterial);
        }
    }

    [Fact]
    public async Task Server_picks_its_preferred_profile_among_those_the_client_offers()
    {
        var clientOptions = new DtlsSrtpOptions { Profiles = [SrtpProfile.Aes128CmHmacSha1_32, SrtpProfile.Aes128CmHmacSha1_80] };
        var serverOptions = new DtlsSrtpOptions { Profiles = [SrtpProfile.AeadAes128Gcm, SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.Aes128CmHmacSha1_32] };
        (DtlsSrtpTransport client, DtlsSrtpTransport server) = InMemoryDatagramLink.Connect(
            ClientCertificate, ServerCertificate, new InMemoryDatagramLink(), new InMemoryDatagramLink(), clientOptions, serverOptions);
        using (client)
        using (server)
        {
            (DtlsHandshakeResult c, DtlsHandshakeResult s) = await Both(client, server);
            Assert.Equal(SrtpProfile.Aes128CmHmacSha1_80, c.Keys!.Profile);
            Assert.Equal(SrtpProfile.Aes128CmHmacSha1_80, s.Keys!.Profile);
            Assert.Equal(60, c.KeyingMaterial!.Length);
            SrtpFlow.AssertFlows(c.Keys, s.Keys, 3);
        }
    }

    [Fact]
    public async Task No_common_srtp_profile_fails_typed_on_both_sides()
    {
        var clientOptions = new DtlsSrtpOptions { Profiles = [SrtpProfile.Aes128CmHmacSha1_32] };
        var serverOptions = new DtlsSrtpOptions { Profiles = [SrtpProfile.AeadAes128Gcm] };
        (DtlsSrtpTransport client, DtlsSrtpTransport server) = InMemoryDatagramLink.Connect(
            ClientCertificate, ServerCertificate, new InMemoryDatagramLink(), new InMemoryDatagramLink(), clientOptions, serverOptions);
        using (client)
        using (server)
        {
            (DtlsHandshakeResult c, DtlsHandshakeResult s) = await Both(client, server);
            Assert.True(s.Status == DtlsHandshakeStatus.NoCommonSrtpProfile, $"{s.Status}: {s.Detail}");
            Assert.True(c.Status == DtlsHandshakeStatus.NoCommonSrtpProfile, $"{c.Status}: {c.Detail}");
            Assert.Null(c.Keys);
            Assert.Null(s.Keys);
        }
    }

    [Fact]
    public async Task Client_refuses_a_server_whose_certificate_does_not_match_the_sdp_fingerprint()
    {
        DtlsCertificate impostor = DtlsCertificate.Generate();
        (DtlsSrtpTransport client, DtlsSrtpTransport server) = InMemoryDatagramLink.Connect(
            ClientCertificate, impostor, new InMemoryDatagramLink(), new InMemoryDatagramLink(), clientExpects: ServerCertificate.Fingerprint);
        using (client)
        using (server)
        {
            (DtlsHandshakeResult c, DtlsHandshakeResult s) = await Both(client, server);
            Assert.True(c.Status == DtlsHandshakeStatus.FingerprintMismatch, $"{c.Status}: {c.Detail}");
            Assert.Equal((byte)42, c.AlertDescription); // bad_certificate (RFC 5246 §7.2)
            Assert.Null(c.Keys);
            Assert.True(s.Status == DtlsHandshakeStatus.PeerAlert, $"{s.Status}: {s.Detail}");
            Assert.Equal((byte)42, s.AlertDescription);
            Assert.Null(s.Keys);
        }
    }

    [Fact]
    public async Task Server_refuses_a_client_whose_certificate_does_not_match_the_sdp_fingerprint()
    {
        DtlsCertificate impostor = DtlsCertificate.Generate();
        (DtlsSrtpTransport client, DtlsSrtpTransport server) = InMemoryDatagramLink.Connect(
            impostor, ServerCertificate, new InMemoryDatagramLink(), new InMemoryDatagramLink(), serverExpects: ClientCertificate.Fingerprint);
        using (client)
        using (server)
        {
            (DtlsHandshakeResult c, DtlsHandshakeResult s) = await Both(client, server);
            Assert.True(s.Status == DtlsHandshakeStatus.FingerprintMismatch, $"{s.Status}: {s.Detail}");
            Assert.Null(s.Keys);
            Assert.False(c.IsConnected);
        }
    }

    [Fact]
    public async Task Silent_peer_times_out_with_a_typed_status()
    {
        var link = new InMemoryDatagramLink { Silent = true };
        using var client = new DtlsSrtpTransport(
            DtlsRole.Client, ClientCertificate, ServerCertificate.Fingerprint, link, new DtlsSrtpOptions { HandshakeTimeout = TimeSpan.FromSeconds(1.5) });
        var watch = Stopwatch.StartNew();
        DtlsHandshakeResult result = await client.HandshakeAsync().WaitAsync(TestLimit);
        Assert.True(result.Status == DtlsHandshakeStatus.TimedOut, $"{result.Status}: {result.Detail}");
        Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(10));

        // The ClientHello was retransmitted (initial timer 1 s, RFC 6347 §4.2.4.1) before giving up.
        Assert.True(link.Sent >= 2, $"sent {link.Sent}");
    }

    [Fact]
    public async Task Handshake_deadline_comes_from_the_injected_time_provider()
    {
        var clock = new ManualTimeProvider();
        using var client = new DtlsSrtpTransport(
            DtlsRole.Client, ClientCertificate, ServerCertificate.Fingerprint, new InMemoryDatagramLink { Silent = true }, timeProvider: clock);
        Task<DtlsHandshakeResult> handshake = client.HandshakeAsync();

        // Nothing ends the handshake until the injected clock's timer fires.
        await Task.Delay(300);
        Assert.False(handshake.IsCompleted);
        while (clock.TimerCount == 0)
        {
            await Task.Delay(10);
        }

        clock.FireAll();
        DtlsHandshakeResult result = await handshake.WaitAsync(TestLimit);
        Assert.True(result.Status == DtlsHandshakeStatus.TimedOut, $"{result.Status}: {result.Detail}");
    }

    [Fact]
    public async Task With_several_sdp_fingerprints_the_strongest_hash_decides()
    {
        DtlsFingerprint wrongSha256 = DtlsCertificate.Generate().Fingerprint;
        DtlsFingerprint rightSha1 = DtlsFingerprint.Compute(DtlsFingerprintHash.Sha1, ServerCertificate.Der);
        DtlsFingerprint rightSha512 = DtlsFingerprint.Compute(DtlsFingerprintHash.Sha512, ServerCertificate.Der);
        DtlsFingerprint wrongSha1 = DtlsFingerprint.Compute(DtlsFingerprintHash.Sha1, ClientCertificate.Der);

        Assert.Equal(DtlsHandshakeStatus.Connected, await ClientStatusExpecting([wrongSha1, rightSha512, wrongSha256]));
        Assert.Equal(DtlsHandshakeStatus.Connected, await ClientStatusExpecting([wrongSha256, ServerCertificate.Fingerprint]));

        // RFC 8122 §5: a match under a weaker hash does not rescue a mismatch under the strongest one offered.
        Assert.Equal(DtlsHandshakeStatus.FingerprintMismatch, await ClientStatusExpecting([rightSha1, wrongSha256]));
    }

    private static async Task<DtlsHandshakeStatus> ClientStatusExpecting(DtlsFingerprint[] expected)
    {
        var toServer = new InMemoryDatagramLink();
        var toClient = new InMemoryDatagramLink();
        using var client = new DtlsSrtpTransport(DtlsRole.Client, ClientCertificate, expected, toServer);
        using var server = new DtlsSrtpTransport(DtlsRole.Server, ServerCertificate, ClientCertificate.Fingerprint, toClient);
        toServer.Target = server;
        toClient.Target = client;
        (DtlsHandshakeResult c, _) = await Both(client, server);
        return c.Status;
    }

    [Fact]
    public async Task Cancellation_ends_the_handshake_with_a_typed_status()
    {
        using var server = new DtlsSrtpTransport(DtlsRole.Server, ServerCertificate, ClientCertificate.Fingerprint, new InMemoryDatagramLink());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        DtlsHandshakeResult result = await server.HandshakeAsync(cts.Token).WaitAsync(TestLimit);
        Assert.True(result.Status == DtlsHandshakeStatus.Cancelled, $"{result.Status}: {result.Detail}");
    }

    [Fact]
    public async Task Close_sends_close_notify_that_the_peer_observes()
    {
        (DtlsSrtpTransport client, DtlsSrtpTransport server) = InMemoryDatagramLink.Connect(
            ClientCertificate, ServerCertificate, new InMemoryDatagramLink(), new InMemoryDatagramLink());
        using (client)
        using (server)
        {
            (DtlsHandshakeResult c, DtlsHandshakeResult s) = await Both(client, server);
            Assert.True(c.IsConnected && s.IsConnected);
            Assert.False(server.RemoteClosed.IsCompleted);

            client.Close();
            await server.RemoteClosed.WaitAsync(TimeSpan.FromSeconds(5));
        }
    }

    [Fact]
    public void Only_dtls_datagrams_are_accepted_per_rfc7983()
    {
        using var server = new DtlsSrtpTransport(DtlsRole.Server, ServerCertificate, ClientCertificate.Fingerprint, new InMemoryDatagramLink());
        Assert.False(server.TryDeliverDatagram([]));
        Assert.False(server.TryDeliverDatagram([0x00, 0x01])); // STUN
        Assert.False(server.TryDeliverDatagram([0x80, 0x60])); // RTP
        Assert.False(server.TryDeliverDatagram([19]));
        Assert.False(server.TryDeliverDatagram([64]));
        Assert.True(server.TryDeliverDatagram([22, 0xFE, 0xFD]));
    }

    [Fact]
    public void A_full_receive_queue_drops_and_counts_instead_of_blocking_the_ice_thread()
    {
        using var server = new DtlsSrtpTransport(
            DtlsRole.Server, ServerCertificate, ClientCertificate.Fingerprint, new InMemoryDatagramLink(), new DtlsSrtpOptions { ReceiveQueueCapacity = 8 });
        int accepted = 0;
        for (int i = 0; i < 20; i++)
        {
            accepted += server.TryDeliverDatagram([22, 0xFE, 0xFD, (byte)i]) ? 1 : 0;
        }

        Assert.Equal(8, accepted);
        Assert.Equal(12, server.DroppedDatagrams);
        byte[] oversize = new byte[1501];
        oversize[0] = 22;
        Assert.False(server.TryDeliverDatagram(oversize));
        Assert.Equal(13, server.DroppedDatagrams);

        server.Close();
        Assert.False(server.TryDeliverDatagram([22, 0xFE, 0xFD]));
    }

    [Fact]
    public async Task A_handshake_cannot_be_started_twice()
    {
        using var server = new DtlsSrtpTransport(DtlsRole.Server, ServerCertificate, ClientCertificate.Fingerprint, new InMemoryDatagramLink());
        using var cts = new CancellationTokenSource();
        Task<DtlsHandshakeResult> first = server.HandshakeAsync(cts.Token);
        Assert.Throws<InvalidOperationException>(() => { _ = server.HandshakeAsync(); });
        await cts.CancelAsync();
        Assert.Equal(DtlsHandshakeStatus.Cancelled, (await first.WaitAsync(TestLimit)).Status);
    }

    private static async Task<(DtlsHandshakeResult Client, DtlsHandshakeResult Server)> Both(DtlsSrtpTransport client, DtlsSrtpTransport server)
    {
        Task<DtlsHandshakeResult> s = server.HandshakeAsync();
        Task<DtlsHandshakeResult> c = client.HandshakeAsync();
        return (await c.WaitAsync(TestLimit), await s.WaitAsync(TestLimit));
    }
}
