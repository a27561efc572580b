using System.Text;
using BenchmarkDotNet.Attributes;
using Callbridge.Sip.Message;
using Callbridge.Sip.Parsing;

namespace Callbridge.Sip.Benchmarks;

/// <summary>Parse and serialize a typical INVITE with SDP (about 900 bytes). Baseline: a bare scan of the
/// same buffer for CRLFCRLF, the least any framing must do.</summary>
[MemoryDiagnoser]
public class SipMessageBenchmarks
{
    private const string Sdp =
        "v=0\r\no=- 20518 0 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n" +
        "m=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n";

    private static readonly string Invite =
        "INVITE sip:+15551230000@trunk.example.com;user=phone SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: <sip:+15551230000@trunk.example.com;user=phone>\r\n" +
        "From: \"Conference Bridge\" <sip:bridge@gw.example.com>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@gw.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:bridge@192.0.2.10:5060;transport=udp>\r\n" +
        "Record-Route: <sip:edge.example.com;lr>\r\n" +
        "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO\r\n" +
        "Supported: timer, replaces\r\n" +
        "User-Agent: Callbridge\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: " + Encoding.ASCII.GetByteCount(Sdp) + "\r\n" +
        "\r\n" + Sdp;

    private byte[] _wire = null!;
    private byte[] _out = null!;
    private SipMessage _parsed = null!;

    [GlobalSetup]
    public void Setup()
    {
        _wire = Encoding.ASCII.GetBytes(Invite);
        _out = new byte[_wire.Length * 2];
        if (SipMessage.TryParse(_wire, true, out var m, out _, out var err) != SipParseStatus.Complete)
            throw new InvalidOperationException(err.ToString());
        _parsed = m!;
    }

    [Benchmark(Baseline = true)]
    public int ScanForEndOfHeaders() => _wire.AsSpan().IndexOf("\r\n\r\n"u8);

    [Benchmark]
    public int Parse()
    {
        SipMessage.TryParse(_wire, true, out var m, out int consumed, out _);
        return consumed + m!.Headers.Count;
    }

    [Benchmark]
    public int Serialize() => _parsed.WriteTo(_out);

    [Benchmark]
    public int ParseAndSerialize()
    {
        SipMessage.TryParse(_wire, true, out var m, out _, out _);
        return m!.WriteTo(_out);
    }

    /// <summary>Parse plus the typed reads a UAS does on every INVITE.</summary>
    [Benchmark]
    public int ParseAndReadTypedHeaders()
    {
        SipMessage.TryParse(_wire, true, out var m, out _, out _);
        return m!.TopVia!.Branch!.Length + m.From!.Tag!.Length + (int)m.CSeq!.Value.Number + m.CallId!.Length;
    }
}
