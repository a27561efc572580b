namespace Callbridge.Sdp;

/// <summary>a= lines: the modelled attributes by name, everything else preserved as <see cref="SdpAttribute"/>.</summary>
internal static class SdpAttributeParser
{
    public static SdpParseError Parse(SessionDescription session, MediaDescription? media, string line)
    {
        int colon = line.IndexOf(':', StringComparison.Ordinal);
        string name = colon < 0 ? line : line[..colon];
        string? value = colon < 0 ? null : line[(colon + 1)..];
        if (name.Length == 0)
        {
            return SdpParseError.MalformedLine;
        }

        SdpSection section = (SdpSection?)media ?? session;
        SdpParseError? common = ParseCommon(section, name, value);
        if (common is { } result)
        {
            return result;
        }

        if (media is null)
        {
            if (name == "group")
            {
                if (value is null || !SdpGroup.TryParse(value, out SdpGroup? group))
                {
                    return SdpParseError.InvalidGroup;
                }

                session.Groups.Add(group!);
                return SdpParseError.None;
            }
        }
        else if (ParseMedia(media, name, value) is { } mediaResult)
        {
            return mediaResult;
        }

        section.OtherAttributes.Add(new SdpAttribute(name, value));
        return SdpParseError.None;
    }

    private static SdpParseError? ParseCommon(SdpSection section, string name, string? value)
    {
        switch (name)
        {
            case "ice-ufrag":
            case "ice-pwd":
                // RFC 8839 §5.4: ufrag 4-256 and pwd 22-256 ice-chars; shorter values from old peers are tolerated.
                if (value is null || !SdpText.IsWord(value) || value.Length > 256)
                {
                    return SdpParseError.InvalidIceCredentials;
                }

                if ((name == "ice-ufrag" ? section.IceUfrag : section.IcePwd) is not null)
                {
                    return SdpParseError.DuplicateAttribute;
                }

                if (name == "ice-ufrag")
                {
                    section.IceUfrag = value;
                }
                else
                {
                    section.IcePwd = value;
                }

                return SdpParseError.None;
            case "ice-options" when value is not null:
                section.IceOptions.AddRange(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                return SdpParseError.None;
            case "ice-lite" when value is null:
                section.IceLite = true;
                return SdpParseError.None;
            case "fingerprint":
                if (value is null || !SdpFingerprint.TryParse(value, out SdpFingerprint? fingerprint))
                {
                    return SdpParseError.InvalidFingerprint;
                }

                section.Fingerprints.Add(fingerprint!);
                return SdpParseError.None;
            case "setup":
                if (value is null || !SdpSetupRoles.TryParse(value, out SdpSetupRole role))
                {
                    return SdpParseError.InvalidSetup;
                }

                if (section.Setup is not null)
                {
                    return SdpParseError.DuplicateAttribute;
                }

                section.Setup = role;
                return SdpParseError.None;
            case "extmap":
                if (value is null || !SdpExtmap.TryParse(value, out SdpExtmap? extmap))
                {
                    return SdpParseError.InvalidExtmap;
                }

                section.Extmaps.Add(extmap!);
                return SdpParseError.None;
            case "extmap-allow-mixed" when value is null:
                section.ExtmapAllowMixed = true;
                return SdpParseError.None;
            case "sendrecv" or "sendonly" or "recvonly" or "inactive" when value is null:
                if (section.Direction is not null)
                {
                    return SdpParseError.DuplicateAttribute;
                }

                SdpDirections.TryParse(name, out SdpDirection direction);
                section.Direction = direction;
                return SdpParseError.None;
            default:
                return null;
        }
    }

    private static SdpParseError? ParseMedia(MediaDescription media, string name, string? value)
    {
        switch (name)
        {
            case "mid":
                // RFC 9143 §7.1 / RFC 5888 §4: an identification-tag token; Chromium uses "0", "1", ...
                if (value is null || !SdpText.IsToken(value) || value.Length > 64)
                {
                    return SdpParseError.InvalidMid;
                }

                if (media.Mid is not null)
                {
                    return SdpParseError.DuplicateAttribute;
                }

                media.Mid = value;
                return SdpParseError.None;
            case "rtcp-mux" when value is null:
                media.RtcpMux = true;
                return SdpParseError.None;
            case "rtcp-mux-only" when value is null:
                media.RtcpMuxOnly = true;
                return SdpParseError.None;
            case "rtcp-rsize" when value is null:
                media.RtcpRsize = true;
                return SdpParseError.None;
            case "rtpmap":
                return Add(value, media.RtpMaps, SdpRtpMap.TryParse, SdpParseError.InvalidRtpMap);
            case "fmtp":
                return Add(value, media.Fmtps, SdpFmtp.TryParse, SdpParseError.InvalidFmtp);
            case "rtcp-fb":
                return Add(value, media.RtcpFeedback, SdpRtcpFeedback.TryParse, SdpParseError.InvalidRtcpFeedback);
            case "ssrc":
                return Add(value, media.Ssrcs, SdpSsrc.TryParse, SdpParseError.InvalidSsrc);
            case "ssrc-group":
                return Add(value, media.SsrcGroups, SdpSsrcGroup.TryParse, SdpParseError.InvalidSsrcGroup);
            case "msid":
                return Add(value, media.Msids, SdpMsid.TryParse, SdpParseError.InvalidMsid);
            case "candidate":
                return Add(value, media.Candidates, SdpCandidate.TryParse, SdpParseError.InvalidCandidate);
            case "end-of-candidates" when value is null:
                media.EndOfCandidates = true;
                return SdpParseError.None;
            default:
                return null;
        }
    }

    private delegate bool TryParser<T>(string value, out T? result);

    private static SdpParseError Add<T>(string? value, List<T> list, TryParser<T> parse, SdpParseError error)
        where T : class
    {
        if (value is null || !parse(value, out T? item))
        {
            return error;
        }

        list.Add(item!);
        return SdpParseError.None;
    }
}
