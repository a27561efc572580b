using System.Globalization;
using System.Text;

namespace Callbridge.Sdp;

/// <summary>Writes a description in RFC 8866 §5 line order, attributes in the order Chromium uses.</summary>
internal static class SdpSerializer
{
    public static string Serialize(SessionDescription session)
    {
        var sb = new StringBuilder(2048);
        Line(sb, 'v', session.Version.ToString(CultureInfo.InvariantCulture));
        Line(sb, 'o', session.Origin.ToString());
        Line(sb, 's', session.SessionName);
        OtherLines(sb, session, "iuep");
        foreach (SdpConnection c in session.Connections)
        {
            Line(sb, 'c', c.ToString());
        }

        foreach (SdpBandwidth b in session.Bandwidths)
        {
            Line(sb, 'b', b.ToString());
        }

        foreach (string t in session.Timings.Count > 0 ? session.Timings : ["0 0"])
        {
            Line(sb, 't', t);
        }

        OtherLines(sb, session, "rzk");
        foreach (SdpGroup group in session.Groups)
        {
            Attribute(sb, "group", group.ToString());
        }

        CommonAttributes(sb, session, null);
        foreach (SdpAttribute other in session.OtherAttributes)
        {
            Line(sb, 'a', other.ToString());
        }

        foreach (MediaDescription media in session.Media)
        {
            Media(sb, media);
        }

        return sb.ToString();
    }

    private static void Media(StringBuilder sb, MediaDescription m)
    {
        string port = m.PortCount is { } n ? SdpText.Invariant($"{m.Port}/{n}") : SdpText.Invariant($"{m.Port}");
        Line(sb, 'm', $"{m.Kind} {port} {m.Protocol} {string.Join(' ', m.Formats)}");
        OtherLines(sb, m, "i");
        foreach (SdpConnection c in m.Connections)
        {
            Line(sb, 'c', c.ToString());
        }

        foreach (SdpBandwidth b in m.Bandwidths)
        {
            Line(sb, 'b', b.ToString());
        }

        OtherLines(sb, m, "k");
        foreach (SdpCandidate candidate in m.Candidates)
        {
            Attribute(sb, "candidate", candidate.ToString());
        }

        CommonAttributes(sb, m, m.Mid);
        foreach (SdpMsid msid in m.Msids)
        {
            Attribute(sb, "msid", msid.ToString());
        }

        Flag(sb, m.RtcpMux, "rtcp-mux");
        Flag(sb, m.RtcpMuxOnly, "rtcp-mux-only");
        Flag(sb, m.RtcpRsize, "rtcp-rsize");

        // Per payload type, in m= line order: rtpmap, rtcp-fb, fmtp (Chromium's order).
        var writtenMaps = new HashSet<SdpRtpMap>();
        var writtenFmtps = new HashSet<SdpFmtp>();
        var writtenFeedback = new HashSet<SdpRtcpFeedback>();
        foreach (string format in m.Formats)
        {
            if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out int pt))
            {
                continue;
            }

            foreach (SdpRtpMap map in m.RtpMaps.Where(r => r.PayloadType == pt))
            {
                Attribute(sb, "rtpmap", map.ToString());
                writtenMaps.Add(map);
            }

            foreach (SdpRtcpFeedback fb in m.RtcpFeedback.Where(f => f.PayloadType == format))
            {
                Attribute(sb, "rtcp-fb", fb.ToString());
                writtenFeedback.Add(fb);
            }

            foreach (SdpFmtp fmtp in m.Fmtps.Where(f => f.PayloadType == pt))
            {
                Attribute(sb, "fmtp", fmtp.ToString());
                writtenFmtps.Add(fmtp);
            }
        }

        // Wildcard feedback and attributes for payload types not on the m= line are kept too.
        foreach (SdpRtpMap map in m.RtpMaps.Where(r => !writtenMaps.Contains(r)))
        {
            Attribute(sb, "rtpmap", map.ToString());
        }

        foreach (SdpRtcpFeedback fb in m.RtcpFeedback.Where(f => !writtenFeedback.Contains(f)))
        {
            Attribute(sb, "rtcp-fb", fb.ToString());
        }

        foreach (SdpFmtp fmtp in m.Fmtps.Where(f => !writtenFmtps.Contains(f)))
        {
            Attribute(sb, "fmtp", fmtp.ToString());
        }

        foreach (SdpSsrcGroup group in m.SsrcGroups)
        {
            Attribute(sb, "ssrc-group", group.ToString());
        }

        foreach (SdpSsrc ssrc in m.Ssrcs)
        {
            Attribute(sb, "ssrc", ssrc.ToString());
        }

        foreach (SdpAttribute other in m.OtherAttributes)
        {
            Line(sb, 'a', other.ToString());
        }

        Flag(sb, m.EndOfCandidates, "end-of-candidates");
    }

    private static void CommonAttributes(StringBuilder sb, SdpSection s, string? mid)
    {
        Flag(sb, s.IceLite, "ice-lite");
        if (s.IceUfrag is not null)
        {
            Attribute(sb, "ice-ufrag", s.IceUfrag);
        }

        if (s.IcePwd is not null)
        {
            Attribute(sb, "ice-pwd", s.IcePwd);
        }

        if (s.IceOptions.Count > 0)
        {
            Attribute(sb, "ice-options", string.Join(' ', s.IceOptions));
        }

        foreach (SdpFingerprint fingerprint in s.Fingerprints)
        {
            Attribute(sb, "fingerprint", fingerprint.ToString());
        }

        if (s.Setup is { } setup)
        {
            Attribute(sb, "setup", setup.ToAttributeValue());
        }

        if (mid is not null)
        {
            Attribute(sb, "mid", mid);
        }

        Flag(sb, s.ExtmapAllowMixed, "extmap-allow-mixed");
        foreach (SdpExtmap extmap in s.Extmaps)
        {
            Attribute(sb, "extmap", extmap.ToString());
        }

        if (s.Direction is { } direction)
        {
            Line(sb, 'a', direction.ToAttributeName());
        }
    }

    private static void OtherLines(StringBuilder sb, SdpSection s, string types)
    {
        foreach (KeyValuePair<char, string> line in s.OtherLines)
        {
            if (types.Contains(line.Key, StringComparison.Ordinal))
            {
                Line(sb, line.Key, line.Value);
            }
        }
    }

    private static void Flag(StringBuilder sb, bool set, string name)
    {
        if (set)
        {
            Line(sb, 'a', name);
        }
    }

    private static void Attribute(StringBuilder sb, string name, string value) =>
        sb.Append("a=").Append(name).Append(':').Append(value).Append("\r\n");

    private static void Line(StringBuilder sb, char type, string value) => sb.Append(type).Append('=').Append(value).Append("\r\n");
}
