using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Callbridge.Sip.Message;
using Callbridge.Sip.Parsing;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Tests;

/// <summary>The UDP/TCP transport on 127.0.0.1 with raw sockets as the peer (run inside `unshare -n`).</summary>
public sealed class TransportTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private SipTransport _t = null!;
    private readonly Channel<(SipMessage M, SipRemote R)> _received = Channel.CreateUnbounded<(SipMessage, SipRemote)>();

    public Task InitializeAsync()
    {
        _t = new SipTransport(new IPEndPoint(IPAddress.Loopback, 0), new SipParseLimits { MaxMessageSize = 4096 });
        _t.MessageReceived = (m, r) => _received.Writer.TryWrite((m, r));
        _t.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _t.DisposeAsync();

    private static string Options(string branch) =>
        $"OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch={branch}\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:x@127.0.0.1>\r\n" +
        $"Call-ID: {branch}@t\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 4\r\n\r\nbody";

    private static async Task<string> ReadAvailable(Socket s, string until)
    {
        var sb = new StringBuilder();
        var buf = new byte[8192];
        using var cts = new CancellationTokenSource(Wait);
        while (!sb.ToString().Contains(until, StringComparison.Ordinal))
        {
            int n = await s.ReceiveAsync(buf, SocketFlags.None, cts.Token);
            if (n == 0) break;
            sb.Append(Encoding.Latin1.GetString(buf, 0, n));
        }
        return sb.ToString();
    }

    [Fact]
    public async Task TcpFramesByContentLengthAcrossArbitraryFragments()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await s.ConnectAsync(_t.LocalEndPoint);
        // Three messages, with keepalive CRLFs between, cut into 1..13-byte writes.
        var all = Encoding.ASCII.GetBytes(Options("z9hG4bK1") + "\r\n" + Options("z9hG4bK2") + Options("z9hG4bK3"));
        var rng = new Random(7);
        for (int i = 0; i < all.Length;)
        {
            int n = Math.Min(all.Length - i, rng.Next(1, 14));
            await s.SendAsync(all.AsMemory(i, n), SocketFlags.None);
            i += n;
            if (rng.Next(4) == 0) await Task.Delay(1);
        }
        var branches = new List<string>();
        for (int k = 0; k < 3; k++)
        {
            var (m, r) = await _received.Reader.ReadAsync().AsTask().WaitAsync(Wait);
            branches.Add(m.TopVia!.Branch!);
            Assert.Equal("body", Encoding.ASCII.GetString(m.Body.Span));
            Assert.Equal(SipTransportProtocol.Tcp, r.Protocol);
        }
        Assert.Equal(["z9hG4bK1", "z9hG4bK2", "z9hG4bK3"], branches);
    }

    [Fact]
    public async Task TcpKeepaliveGetsPongAndResponsesUseTheSameConnection()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await s.ConnectAsync(_t.LocalEndPoint);
        await s.SendAsync("\r\n\r\n"u8.ToArray(), SocketFlags.None);
        var buf = new byte[16];
        int n = await s.ReceiveAsync(buf, SocketFlags.None).WaitAsync(Wait);
        Assert.Equal("\r\n", Encoding.ASCII.GetString(buf, 0, n));
        await s.SendAsync(Encoding.ASCII.GetBytes(Options("z9hG4bKk")), SocketFlags.None);
        var (m, r) = await _received.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        _t.Send(Callbridge.Sip.Transactions.SipMessageFactory.CreateResponse(m, 200, "OK", "t"), r);
        var text = await ReadAvailable(s, "Content-Length: 0\r\n\r\n");
        Assert.StartsWith("SIP/2.0 200 OK\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TcpMalformedGets400AndTheConnectionCloses()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await s.ConnectAsync(_t.LocalEndPoint);
        await s.SendAsync(Encoding.ASCII.GetBytes(Options("z9hG4bKm").Replace("CSeq: 1 OPTIONS", "CSeq: 1 INVITE", StringComparison.Ordinal)), SocketFlags.None);
        var text = await ReadAvailable(s, "\r\n\r\n");
        Assert.StartsWith("SIP/2.0 400 Bad Request - CSeq Method Mismatch\r\n", text, StringComparison.Ordinal);
        Assert.Contains("Call-ID: z9hG4bKm@t\r\n", text, StringComparison.Ordinal);
        var buf = new byte[16];
        Assert.Equal(0, await s.ReceiveAsync(buf, SocketFlags.None).WaitAsync(Wait));
        Assert.Equal(1, _t.MalformedCount);
    }

    [Fact]
    public async Task UdpGarbageIsAnsweredWhenPossibleAndTheListenerKeepsServing()
    {
        using var u = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        u.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var rng = new Random(1);
        for (int i = 0; i < 200; i++)
        {
            var junk = new byte[rng.Next(1, 1500)];
            rng.NextBytes(junk);
            await u.SendToAsync(junk, SocketFlags.None, _t.LocalEndPoint);
            // One at a time, so no datagram is lost to a full socket buffer and the count is exact.
            var until = DateTime.UtcNow + Wait;
            while (_t.MalformedCount < i + 1 && DateTime.UtcNow < until) await Task.Delay(1);
        }
        // Oversized for the 4096-byte limit: 513 back.
        var big = Options("z9hG4bKbig").Replace("Max-Forwards: 70", "Max-Forwards: 70\r\nX-Pad: " + new string('p', 5000), StringComparison.Ordinal);
        await u.SendToAsync(Encoding.ASCII.GetBytes(big), SocketFlags.None, _t.LocalEndPoint);
        var buf = new byte[8192];
        var r = await u.ReceiveFromAsync(buf, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0)).WaitAsync(Wait);
        Assert.StartsWith("SIP/2.0 513 Message Too Large\r\n", Encoding.ASCII.GetString(buf, 0, r.ReceivedBytes), StringComparison.Ordinal);
        await u.SendToAsync(Encoding.ASCII.GetBytes(Options("z9hG4bKok")), SocketFlags.None, _t.LocalEndPoint);
        var (m, remote) = await _received.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Equal("z9hG4bKok", m.TopVia!.Branch);
        Assert.Equal(SipTransportProtocol.Udp, remote.Protocol);
        Assert.Equal(201, _t.MalformedCount);
    }

    [Fact]
    public async Task RequestsGetReceivedAndRportStamped()
    {
        using var u = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        u.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int myPort = ((IPEndPoint)u.LocalEndPoint!).Port;
        var req = Options("z9hG4bKr").Replace("Via: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKr", "Via: SIP/2.0/UDP 192.0.2.77:5060;rport;branch=z9hG4bKr, SIP/2.0/UDP p.example", StringComparison.Ordinal);
        await u.SendToAsync(Encoding.ASCII.GetBytes(req), SocketFlags.None, _t.LocalEndPoint);
        var (m, _) = await _received.Reader.ReadAsync().AsTask().WaitAsync(Wait);
        var vias = m.Vias;
        Assert.Equal(2, vias.Count);
        Assert.Equal("127.0.0.1", vias[0].Received);
        Assert.Equal(myPort, vias[0].RportValue);
        Assert.Equal("z9hG4bKr", vias[0].Branch);
        Assert.Equal("p.example", vias[1].Host);
        Assert.Null(vias[1].Received);
    }

    [Fact]
    public void ErrorAnswerCopiesTheMatchingHeadersAndNeverAnswersAResponse()
    {
        var bad = Encoding.ASCII.GetBytes("INVITE sip:a@b SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK9\r\nf: <sip:x@y>;tag=1\r\nt: <sip:a@b>\r\n" +
            "i: abc\r\nCSeq: 1 INVITE\r\nSubject: not copied\r\nContent-Length: -1\r\n\r\n");
        Assert.Equal(SipParseStatus.Invalid, SipMessage.TryParse(bad, true, out _, out _, out var err));
        var answer = Encoding.ASCII.GetString(SipErrorAnswer.Build(bad, err)!);
        Assert.Equal("SIP/2.0 400 Bad Request - Bad Content-Length\r\nv: SIP/2.0/UDP h;branch=z9hG4bK9\r\nf: <sip:x@y>;tag=1\r\n" +
            "t: <sip:a@b>\r\ni: abc\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n", answer);
        Assert.Equal(SipParseStatus.Complete, SipMessage.TryParse(Encoding.ASCII.GetBytes(answer), true, out _, out _, out _));
        Assert.Null(SipErrorAnswer.Build("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\nCSeq: x\r\n\r\n"u8, err));
        Assert.Null(SipErrorAnswer.Build("INVITE sip:a@b SIP/2.0\r\nCSeq: 1 INVITE\r\n\r\n"u8, err));
    }
}
