using System.Text;

namespace Callbridge.Sip.Tests;

/// <summary>
/// A trunk-bound INVITE with 13 headers and an SDP offer (PCMU, PCMA, telephone-event): the parser's tests and the
/// SIP throughput benchmark (which compiles this file in) use the same message.
/// </summary>
internal static class SampleMessages
{
    public const string Sdp =
        "v=0\r\no=- 20518 0 IN IP4 192.0.2.10\r\ns=-\r\nc=IN IP4 192.0.2.10\r\nt=0 0\r\n" +
        "m=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\na=sendrecv\r\n";

    public static readonly string Invite =
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

    public static byte[] InviteBytes => Encoding.ASCII.GetBytes(Invite);
}
