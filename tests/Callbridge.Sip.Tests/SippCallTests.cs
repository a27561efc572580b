using System.Net;
using Callbridge.Sip.Calls;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Parsing;
using Callbridge.Sip.Transport;

namespace Callbridge.Sip.Tests;

/// <summary>Calls against the real sipp on 127.0.0.1 (run inside `unshare -n`, see test-stack.md).</summary>
public sealed class SippCallTests : IAsyncLifetime
{
    private const string OurSdp = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);
    private SipTransport _transport = null!;
    private SipUserAgent _agent = null!;
    private readonly string _work = SippRunner.NewWorkDir();

    public Task InitializeAsync()
    {
        // A 1500-byte message limit lets the scenario provoke 513 with one oversized datagram.
        _transport = new SipTransport(new IPEndPoint(IPAddress.Loopback, 0), new SipParseLimits { MaxMessageSize = 1500 });
        _agent = new SipUserAgent(_transport, TimeProvider.System);
        _transport.MessageReceived = _agent.OnMessage;
        _transport.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _transport.DisposeAsync();
        try { Directory.Delete(_work, true); } catch (IOException) { }
    }

    private string Target => "127.0.0.1:" + _transport.LocalEndPoint.Port;

    [Theory]
    [InlineData("u1")]
    [InlineData("t1")]
    public async Task SippUacCallsOurUas(string transport)
    {
        var calls = new List<SipIncomingCall>();
        _agent.IncomingCall += c =>
        {
            calls.Add(c);
            c.Ring();
            c.Answer(OurSdp);
        };
        var p = SippRunner.Start($"-sn uac {Target} -t {transport} -i 127.0.0.1 -mi 127.0.0.1 -p {SippRunner.FreeUdpPort()} -m 1 -nostdin -timeout 25s -timeout_error -trace_err", _work);
        var (code, log) = await SippRunner.WaitAsync(p, _work, Limit);
        Assert.True(code == 0, "sipp exit " + code + "\n" + log);
        var call = Assert.Single(calls);
        var end = await call.Ended.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(SipCallOutcome.RemoteHangup, end.Outcome);
        Assert.True(call.Acked.IsCompletedSuccessfully);
        Assert.Contains("m=audio", call.RemoteSdp, StringComparison.Ordinal);
        Assert.Equal(0, _transport.MalformedCount);
    }

    [Theory]
    [InlineData("u1", SipTransportProtocol.Udp)]
    [InlineData("t1", SipTransportProtocol.Tcp)]
    public async Task OurUacCallsSippUas(string sippTransport, SipTransportProtocol protocol)
    {
        int port = SippRunner.FreeUdpPort();
        var p = SippRunner.Start($"-sn uas -t {sippTransport} -i 127.0.0.1 -mi 127.0.0.1 -p {port} -m 1 -nostdin -timeout 25s -timeout_error -trace_err", _work);
        await SippRunner.WaitForPortAsync(port, protocol == SipTransportProtocol.Tcp, TimeSpan.FromSeconds(10));
        var remote = new SipRemote(protocol, new IPEndPoint(IPAddress.Loopback, port));
        var call = _agent.Call(SipUri.Sip("service", "127.0.0.1", port), remote, OurSdp);
        var ok = await call.AnsweredTask.WaitAsync(Limit);
        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(180, (await call.RingingTask.WaitAsync(Limit)).StatusCode);
        Assert.Contains("m=audio", call.RemoteSdp, StringComparison.Ordinal);
        await call.HangupAsync(SipReason.Q850(16, "Normal call clearing")).WaitAsync(Limit);
        var (code, log) = await SippRunner.WaitAsync(p, _work, Limit);
        Assert.True(code == 0, "sipp exit " + code + "\n" + log);
        Assert.Equal(SipCallOutcome.LocalHangup, (await call.Ended).Outcome);
    }

    [Fact]
    public async Task SippCancelsBeforeAnswerAndGets487()
    {
        var calls = new List<SipIncomingCall>();
        _agent.IncomingCall += c =>
        {
            calls.Add(c);
            c.Ring();
        };
        var p = SippRunner.Start($"-sf {SippRunner.ScenarioPath("cancel.xml")} {Target} -i 127.0.0.1 -mi 127.0.0.1 -p {SippRunner.FreeUdpPort()} -m 1 -nostdin -timeout 25s -timeout_error -trace_err", _work);
        var (code, log) = await SippRunner.WaitAsync(p, _work, Limit);
        Assert.True(code == 0, "sipp exit " + code + "\n" + log);
        var end = await Assert.Single(calls).Ended.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new SipCallEnd(SipCallOutcome.Cancelled, 487, "caller gave up"), end);
    }

    [Fact]
    public async Task MalformedAndOversizedGet400And513AndTheNextCallStillWorks()
    {
        var calls = new List<SipIncomingCall>();
        _agent.IncomingCall += c =>
        {
            calls.Add(c);
            c.Answer(OurSdp);
        };
        var p = SippRunner.Start($"-sf {SippRunner.ScenarioPath("malformed.xml")} {Target} -i 127.0.0.1 -mi 127.0.0.1 -p {SippRunner.FreeUdpPort()} -m 1 -nostdin -timeout 25s -timeout_error -trace_err", _work);
        var (code, log) = await SippRunner.WaitAsync(p, _work, Limit);
        Assert.True(code == 0, "sipp exit " + code + "\n" + log);
        Assert.Equal(2, _transport.MalformedCount);
        var end = await Assert.Single(calls).Ended.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new SipCallEnd(SipCallOutcome.RemoteHangup, 16, "Normal call clearing"), end);
    }

    [Fact]
    public async Task OurUacAnswersSippDigestChallengeAndSippVerifiesIt()
    {
        int port = SippRunner.FreeUdpPort();
        var p = SippRunner.Start($"-sf {SippRunner.ScenarioPath("uas_auth.xml")} -i 127.0.0.1 -mi 127.0.0.1 -p {port} -m 1 -nostdin -timeout 25s -timeout_error -trace_err", _work);
        await SippRunner.WaitForPortAsync(port, tcp: false, TimeSpan.FromSeconds(10));
        var agent = new SipUserAgent(_transport, TimeProvider.System, new SipUserAgentOptions { AuthUser = "bridge", AuthPassword = "s3cret" });
        _transport.MessageReceived = agent.OnMessage;
        var remote = new SipRemote(SipTransportProtocol.Udp, new IPEndPoint(IPAddress.Loopback, port));
        var call = agent.Call(SipUri.Sip("+15550100", "127.0.0.1", port), remote, OurSdp);
        var answered = await Task.WhenAny(call.AnsweredTask, call.Ended).WaitAsync(Limit);
        Assert.True(answered == call.AnsweredTask, "call ended: " + (answered == call.Ended ? (await call.Ended).ToString() : "?"));
        await call.HangupAsync().WaitAsync(Limit);
        var (code, log) = await SippRunner.WaitAsync(p, _work, Limit);
        Assert.True(code == 0, "sipp exit " + code + "\n" + log);
    }
}
