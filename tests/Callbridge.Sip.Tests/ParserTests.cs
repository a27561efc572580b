using System.Text;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Message;
using Callbridge.Sip.Parsing;

namespace Callbridge.Sip.Tests;

public class ParserTests
{
    private static SipMessage Parse(byte[] bytes, bool datagram = true)
    {
        var st = SipMessage.TryParse(bytes, datagram, out var msg, out _, out var err);
        Assert.True(st == SipParseStatus.Complete, err.ToString());
        return msg!;
    }

    private static SipMessage Parse(string s) => Parse(Encoding.Latin1.GetBytes(s));

    [Fact]
    public void WsinvTypedFieldsSurviveFoldingAndCompactForms()
    {
        var m = Parse(TestPaths.LoadTorture("wsinv"));
        Assert.True(m.IsRequest);
        Assert.Equal("INVITE", m.Method);
        Assert.Equal("sip:vivekg@chair-dnrc.example.com;unknownparam", m.RequestUri);
        Assert.Equal("1918181833n", m.To!.Tag);
        Assert.Equal("98asjd8", m.From!.Tag);
        Assert.Equal("\"J Rosenberg \\\\\\\"\"", m.From.DisplayName);
        Assert.Equal(new SipCSeq(9, "INVITE"), m.CSeq);
        Assert.Equal(68, m.MaxForwards);
        Assert.Equal(150, m.ContentLength);
        Assert.Equal(150, m.Body.Length);
        var vias = m.Vias;
        Assert.Equal(3, vias.Count);
        Assert.Equal(("UDP", "192.0.2.2", "390skdjuw"), (vias[0].Transport, vias[0].Host, vias[0].Branch));
        Assert.False(vias[0].IsRfc3261Branch);
        Assert.Equal(("TCP", "spindle.example.com", "z9hG4bK9ikj8"), (vias[1].Transport, vias[1].Host, vias[1].Branch));
        Assert.Equal(("UDP", "192.168.255.111", "z9hG4bK30239"), (vias[2].Transport, vias[2].Host, vias[2].Branch));
        var contact = Assert.Single(m.Contacts);
        Assert.Equal("0.33", contact.Parameters["q"]);
        Assert.Equal("newvalue", contact.Parameters["newparam"]);
        Assert.True(contact.Parameters.Has("secondparam"));
        var route = Assert.Single(m.Routes);
        Assert.True(route.Uri.Parameters.Has("lr"));
        Assert.Equal("value", route.Uri.Parameters["unknownwith"]);
        var unknown = m.Find("NewFangledHeader")!;
        Assert.Equal(SipHeaderKind.Other, unknown.Kind);
        Assert.Equal("newfangled value continued newfangled value", unknown.UnfoldedValue);
        Assert.Equal(";;,,;;,;", m.Find("UnknownHeaderWithUnusualValue")!.Value);
        // Names stay as written: "TO", "from", "v", "m".
        Assert.Contains(m.Headers, h => h.Name == "TO" && h.Kind == SipHeaderKind.To);
        Assert.Contains(m.Headers, h => h.Name == "v" && h.Kind == SipHeaderKind.Via);
        Assert.Contains(m.Headers, h => h.Name == "s" && h.Kind == SipHeaderKind.Subject && h.Value.Length == 0);
    }

    [Fact]
    public void UriForms()
    {
        Assert.True(SipUri.TryParse("sip:alice:secret@[2001:db8::10]:5070;transport=udp;lr?Subject=hi&Priority=urgent", out var u));
        Assert.Equal(("alice", "secret", "[2001:db8::10]", 5070), (u.User, u.Password, u.Host, u.Port));
        Assert.Equal("udp", u.Parameters["transport"]);
        Assert.True(u.Parameters.Has("lr"));
        Assert.Equal("Subject=hi&Priority=urgent", u.Headers);
        Assert.Equal("sip:alice:secret@[2001:db8::10]:5070;transport=udp;lr?Subject=hi&Priority=urgent", u.ToString());

        Assert.True(SipUri.TryParse("sips:192.0.2.4", out var v4));
        Assert.Equal(("sips", null, "192.0.2.4", (int?)null), (v4.Scheme, v4.User, v4.Host, v4.Port));
        Assert.True(SipUri.TryParse("tel:+1-201-555-0123;phone-context=example.com", out var tel));
        Assert.Equal("+1-201-555-0123;phone-context=example.com", tel.Opaque);
        Assert.True(SipUri.TryParse("sip:user;par=u%40example.net@example.com", out var semi));
        Assert.Equal("user;par=u%40example.net", semi.User);

        Assert.False(SipUri.TryParse("sip:user@[2001:db8::zz]", out _));
        Assert.False(SipUri.TryParse("sip:user@host:99999", out _));
        Assert.False(SipUri.TryParse("sip:us%4ger@host", out _));
        Assert.False(SipUri.TryParse("sip:user@host name", out _));
        Assert.False(SipUri.TryParse("sip:", out _));
    }

    [Fact]
    public void ResponseWithReasonAndAuthHeaders()
    {
        var m = Parse("SIP/2.0 487 Request Terminated\r\n" +
            "Via: SIP/2.0/TCP [2001:db8::1]:5061;branch=z9hG4bKabc;received=2001:db8::9;rport=5062;ttl=16;maddr=239.1.1.1\r\n" +
            "From: <sip:a@example.com>;tag=1\r\nTo: <sip:b@example.com>;tag=2\r\nCall-ID: x@y\r\nCSeq: 1 INVITE\r\n" +
            "Reason: SIP ;cause=487 ;text=\"Call \\\"Cancelled\\\"\", Q.850;cause=16\r\n" +
            "WWW-Authenticate: Digest realm=\"trunk\", nonce=\"abc\", qop=\"auth\", algorithm=SHA-256\r\n" +
            "Content-Length: 0\r\n\r\n");
        Assert.False(m.IsRequest);
        Assert.Equal(487, m.StatusCode);
        Assert.Equal("Request Terminated", m.ReasonPhrase);
        var via = m.TopVia!;
        Assert.Equal(("[2001:db8::1]", 5061, "2001:db8::9", 5062, 16, "239.1.1.1"), (via.Host, via.Port, via.Received, via.RportValue, via.Ttl, via.Maddr));
        Assert.Equal([SipReason.Sip(487, "Call \"Cancelled\""), SipReason.Q850(16)], m.Reasons);
        Assert.Equal("Digest realm=\"trunk\", nonce=\"abc\", qop=\"auth\", algorithm=SHA-256", m.Find(SipHeaderKind.WwwAuthenticate)!.Value);
    }

    [Fact]
    public void DatagramTrailingOctetsAreIgnored()
    {
        var bytes = TestPaths.LoadTorture("dblreq");
        Assert.Equal(SipParseStatus.Complete, SipMessage.TryParse(bytes, true, out var m, out int consumed, out _));
        Assert.True(consumed < bytes.Length);
        Assert.Equal("REGISTER", m!.Method);
        Assert.True(m.Body.IsEmpty);
    }

    [Fact]
    public void ContactStarAndLimits()
    {
        var m = Parse("REGISTER sip:example.com SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@example.com>;tag=1\r\n" +
            "To: <sip:a@example.com>\r\nCall-ID: c\r\nCSeq: 2 REGISTER\r\nContact: *\r\nExpires: 0\r\nContent-Length: 0\r\n\r\n");
        Assert.True(m.IsContactWildcard);
        Assert.Empty(m.Contacts);

        var big = Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\nX: " + new string('a', 2000) + "\r\n\r\n");
        var st = SipMessage.TryParse(big, true, out _, out _, out var err, new SipParseLimits { MaxLineLength = 1000 });
        Assert.Equal((SipParseStatus.Invalid, 513), (st, err.StatusCode));
        st = SipMessage.TryParse(big, true, out _, out _, out err, new SipParseLimits { MaxMessageSize = 1000 });
        Assert.Equal((SipParseStatus.Invalid, SipParseErrorReason.MessageTooLarge), (st, err.Reason));
        var many = Encoding.ASCII.GetBytes("OPTIONS sip:a@b SIP/2.0\r\n" + string.Concat(Enumerable.Repeat("X: y\r\n", 20)) + "\r\n");
        st = SipMessage.TryParse(many, true, out _, out _, out err, new SipParseLimits { MaxHeaderCount = 10 });
        Assert.Equal((SipParseStatus.Invalid, 513), (st, err.StatusCode));
    }

    [Theory]
    [InlineData("INVITE sip:a@b SIP/2.0\nVia: x\n\n", SipParseErrorReason.BadLineEnding)]
    [InlineData("INVITE sip:a@b SIP/2.0\r\n Via: SIP/2.0/UDP h\r\n\r\n", SipParseErrorReason.BadHeaderLine)]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nVia SIP/2.0/UDP h\r\n\r\n", SipParseErrorReason.BadHeaderLine)]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;ttl=300\r\n\r\n", SipParseErrorReason.BadHeaderValue)]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;received=host\r\n\r\n", SipParseErrorReason.BadHeaderValue)]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nContact: <sip:a@b>;q=2\r\n\r\n", SipParseErrorReason.BadHeaderValue)]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nRoute: sip:a@b\r\n\r\n", SipParseErrorReason.BadHeaderValue)]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nCall-ID: a b\r\n\r\n", SipParseErrorReason.BadHeaderValue)]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nCSeq: 1INVITE\r\n\r\n", SipParseErrorReason.BadHeaderValue)]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nContent-Type: application\r\n\r\n", SipParseErrorReason.BadHeaderValue)]
    [InlineData("INVITE sip:a@b SIP/3.0\r\n\r\n", SipParseErrorReason.UnsupportedVersion)]
    [InlineData("SIP/2.0 20 OK\r\n\r\n", SipParseErrorReason.BadStatusCode)]
    [InlineData("SIP/2.0 700 Odd\r\n\r\n", SipParseErrorReason.BadStatusCode)]
    [InlineData("INV(TE sip:a@b SIP/2.0\r\n\r\n", SipParseErrorReason.BadMethod)]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nContent-Length: 5\r\n\r\nab", SipParseErrorReason.ContentLengthMismatch)]
    [InlineData("INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\r\n", SipParseErrorReason.Truncated)]
    public void MalformedInputGivesTypedError(string text, SipParseErrorReason reason)
    {
        var st = SipMessage.TryParse(Encoding.Latin1.GetBytes(text), true, out var m, out _, out var err);
        Assert.Equal(SipParseStatus.Invalid, st);
        Assert.Null(m);
        Assert.Equal(reason, err.Reason);
        Assert.StartsWith(err.StatusCode == 505 ? "Version" : "Bad Request", err.ReasonPhrase, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryPrefixOverAStreamNeedsMoreDataThenCompletes()
    {
        var msg = SampleMessages.InviteBytes;
        var two = msg.Concat(msg).ToArray();
        for (int len = 0; len < msg.Length; len++)
        {
            var st = SipMessage.TryParse(two.AsSpan(0, len), datagram: false, out var m, out _, out var err);
            Assert.True(st == SipParseStatus.NeedMoreData, $"prefix {len}: {st} {err}");
            Assert.Null(m);
        }
        for (int len = msg.Length; len <= two.Length; len++)
        {
            var st = SipMessage.TryParse(two.AsSpan(0, len), datagram: false, out var m, out int consumed, out _);
            Assert.Equal(SipParseStatus.Complete, st);
            Assert.Equal(msg.Length, consumed);
            Assert.Equal(SampleMessages.Sdp, Encoding.ASCII.GetString(m!.Body.Span));
        }
    }

    [Fact]
    public void KeepaliveCrlfBeforeAMessageIsSkipped()
    {
        var bytes = "\r\n\r\n"u8.ToArray().Concat(SampleMessages.InviteBytes).ToArray();
        Assert.Equal(SipParseStatus.NeedMoreData, SipMessage.TryParse(bytes.AsSpan(0, 4), false, out _, out _, out _));
        Assert.Equal(SipParseStatus.Complete, SipMessage.TryParse(bytes, false, out _, out int consumed, out _));
        Assert.Equal(bytes.Length, consumed);
    }

    public static TheoryData<string> Valid => TortureTests.Valid;

    [Theory]
    [MemberData(nameof(Valid))]
    public void RoundTripKeepsOrderNamesValuesAndBody(string name)
    {
        var first = Parse(TestPaths.LoadTorture(name));
        var wire = first.ToArray();
        Assert.Equal(first.GetSerializedLength(), wire.Length);
        var second = Parse(wire);
        Assert.Equal(first.Headers.Select(h => (h.Name, h.Value)), second.Headers.Select(h => (h.Name, h.Value)));
        Assert.Equal(first.Body.ToArray(), second.Body.ToArray());
        Assert.Equal((first.Method, first.RequestUri, first.StatusCode, first.ReasonPhrase), (second.Method, second.RequestUri, second.StatusCode, second.ReasonPhrase));
        Assert.Equal(wire, second.ToArray());
    }

    [Fact]
    public void BuiltMessageSerializesAndParses()
    {
        var req = SipMessage.CreateRequest("BYE", "sip:bob@192.0.2.4");
        req.Add("Via", new SipVia { Host = "192.0.2.10", Port = 5060, Branch = "z9hG4bKx1" }.ToString())
           .Add("From", "<sip:a@example.com>;tag=1").Add("To", "<sip:bob@example.com>;tag=2").Add("Call-ID", "abc")
           .Add("CSeq", "2 BYE").Add("Max-Forwards", "70").Add("Reason", SipReason.Q850(16, "Normal").ToString());
        req.SetBody(ReadOnlyMemory<byte>.Empty, null);
        var m = Parse(req.ToArray());
        Assert.Equal("BYE", m.Method);
        Assert.Equal(0, m.ContentLength);
        Assert.Equal(SipReason.Q850(16, "Normal"), Assert.Single(m.Reasons));
        Assert.Equal("z9hG4bKx1", m.TopVia!.Branch);
    }
}
