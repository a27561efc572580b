using System.Text;
using Callbridge.Sip.Parsing;

namespace Callbridge.Sip.Transport;

/// <summary>Builds the answer to a request that did not parse (§8.2.2 / §21.4.1): a response needs the
/// request's Via, From, To, Call-ID and CSeq (§8.2.6.2), so those lines are copied as received when
/// they can be found. A response, or bytes with no Via, get no answer (§18.1.2: there is nowhere to send it).</summary>
internal static class SipErrorAnswer
{
    public static byte[]? Build(ReadOnlySpan<byte> raw, SipParseError error)
    {
        int start = 0;
        while (start + 1 < raw.Length && raw[start] == '\r' && raw[start + 1] == '\n') start += 2;
        raw = raw[start..];
        if (raw.Length < 4 || System.Text.Ascii.EqualsIgnoreCase(raw[..4], "SIP/"u8)) return null;
        var sb = new StringBuilder(256);
        sb.Append("SIP/2.0 ").Append(error.StatusCode).Append(' ').Append(error.ReasonPhrase).Append("\r\n");
        bool haveVia = false;
        int headEnd = raw.IndexOf("\r\n\r\n"u8);
        var head = headEnd < 0 ? raw : raw[..headEnd];
        int pos = head.IndexOf("\r\n"u8);
        if (pos < 0) return null;
        pos += 2;
        while (pos < head.Length)
        {
            int e = head[pos..].IndexOf("\r\n"u8);
            var line = e < 0 ? head[pos..] : head.Slice(pos, e);
            pos = e < 0 ? head.Length : pos + e + 2;
            if (line.Length > 2048) continue;
            int colon = line.IndexOf((byte)':');
            if (colon <= 0) continue;
            var name = SipGrammar.TrimLws(line[..colon]);
            if (Matches(name, "Via"u8, 'v')) haveVia = true;
            else if (!(Matches(name, "From"u8, 'f') || Matches(name, "To"u8, 't') || Matches(name, "Call-ID"u8, 'i') || Matches(name, "CSeq"u8, '\0')))
                continue;
            foreach (byte b in line) if (b < 0x20 && b != '\t') goto next;
            sb.Append(Encoding.Latin1.GetString(line)).Append("\r\n");
        next:;
        }
        if (!haveVia) return null;
        sb.Append("Content-Length: 0\r\n\r\n");
        return Encoding.Latin1.GetBytes(sb.ToString());
    }

    private static bool Matches(ReadOnlySpan<byte> name, ReadOnlySpan<byte> full, char compact) =>
        System.Text.Ascii.EqualsIgnoreCase(name, full) || (compact != '\0' && name.Length == 1 && (name[0] | 0x20) == compact);
}
