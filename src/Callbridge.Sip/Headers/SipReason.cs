using System.Globalization;
using System.Text;
using Callbridge.Sip.Parsing;

namespace Callbridge.Sip.Headers;

/// <summary>Reason header value (RFC 3326 §2): protocol *( SEMI reason-params ), cause and text.</summary>
public sealed record SipReason(string Protocol, int Cause, string? Text)
{
    /// <summary>A SIP status as the reason, e.g. why a CANCEL or BYE was sent.</summary>
    public static SipReason Sip(int status, string? text = null) => new("SIP", status, text);

    /// <summary>An ISDN cause (ITU-T Q.850), e.g. 16 normal clearing, 17 user busy.</summary>
    public static SipReason Q850(int cause, string? text = null) => new("Q.850", cause, text);

    public override string ToString()
    {
        var sb = new StringBuilder(48).Append(Protocol).Append(";cause=").Append(Cause.ToString(CultureInfo.InvariantCulture));
        if (Text is not null) sb.Append(";text=").Append(SipParameters.Quote(Text));
        return sb.ToString();
    }

    /// <summary>Reason = "Reason" HCOLON reason-value *(COMMA reason-value); reads each value.</summary>
    public static bool TryParseList(ReadOnlySpan<byte> s, List<SipReason> into)
    {
        int i = 0;
        while (true)
        {
            i = SipGrammar.SkipLws(s, i);
            int t = SipGrammar.ScanToken(s, i);
            if (t == i) return false;
            string protocol = Encoding.Latin1.GetString(s[i..t]);
            int e = SipHeaderSyntax.ScanParameters(s, t);
            if (e < 0) return false;
            var prm = SipParameters.ParseGeneric(s[t..e]);
            if (!int.TryParse(prm["cause"], NumberStyles.None, CultureInfo.InvariantCulture, out int cause)) return false;
            string? text = prm["text"] is { } q ? SipParameters.Unquote(q) : null;
            into.Add(new SipReason(protocol, cause, text));
            e = SipGrammar.SkipLws(s, e);
            if (e >= s.Length) return true;
            if (s[e] != ',') return false;
            i = e + 1;
        }
    }
}
