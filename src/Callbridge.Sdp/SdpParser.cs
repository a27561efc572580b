namespace Callbridge.Sdp;

/// <summary>
/// Line parser for RFC 8866 descriptions as Chromium and Janus write them. Lenient where real peers
/// differ (LF-only line ends, attribute order), strict on the grammar of every attribute it models.
/// </summary>
internal static class SdpParser
{
    public static bool TryParse(string text, SdpLimits limits, out SessionDescription? description, out SdpParseFailure failure)
    {
        description = null;
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > limits.MaxLength)
        {
            failure = new SdpParseFailure(SdpParseError.TooLarge, 0);
            return false;
        }

        string[] lines = text.Split('\n');
        int count = lines.Length;
        // Trailing empty lines (the final CRLF) are not lines of the description.
        while (count > 0 && lines[count - 1].TrimEnd('\r').Length == 0)
        {
            count--;
        }

        if (count > limits.MaxLines)
        {
            failure = new SdpParseFailure(SdpParseError.TooManyLines, 0);
            return false;
        }

        var session = new SessionDescription();
        MediaDescription? media = null;
        bool haveOrigin = false, haveName = false;
        for (int i = 0; i < count; i++)
        {
            int lineNumber = i + 1;
            string line = lines[i].EndsWith('\r') ? lines[i][..^1] : lines[i];
            SdpParseError error = ParseLine(session, ref media, line, i, limits, ref haveOrigin, ref haveName);
            if (error != SdpParseError.None)
            {
                failure = new SdpParseFailure(error, lineNumber);
                return false;
            }
        }

        SdpParseError missing = count == 0 ? SdpParseError.InvalidVersion
            : !haveOrigin ? SdpParseError.MissingOrigin
            : !haveName ? SdpParseError.MissingSessionName
            : session.Timings.Count == 0 ? SdpParseError.MissingTiming
            : SdpParseError.None;
        if (missing != SdpParseError.None)
        {
            failure = new SdpParseFailure(missing, 0);
            return false;
        }

        description = session;
        failure = default;
        return true;
    }

    private static SdpParseError ParseLine(SessionDescription session, ref MediaDescription? media, string line, int index,
        SdpLimits limits, ref bool haveOrigin, ref bool haveName)
    {
        if (line.Length > limits.MaxLineLength)
        {
            return SdpParseError.LineTooLong;
        }

        // RFC 8866 §5: <type>=<value>, type a single lowercase letter, no whitespace around "=".
        if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
        {
            return SdpParseError.MalformedLine;
        }

        char type = line[0];
        string value = line[2..];
        if (index == 0)
        {
            // RFC 8866 §5.1: the first line is v=0.
            if (type != 'v' || value != "0")
            {
                return SdpParseError.InvalidVersion;
            }

            session.Version = 0;
            return SdpParseError.None;
        }

        SdpSection section = (SdpSection?)media ?? session;
        switch (type)
        {
            case 'o' when media is null && !haveOrigin:
                if (!SdpOrigin.TryParse(value, out SdpOrigin? origin))
                {
                    return SdpParseError.InvalidOrigin;
                }

                session.Origin = origin!;
                haveOrigin = true;
                return SdpParseError.None;
            case 's' when media is null && !haveName:
                // RFC 8866 §5.3: non-empty; JSEP writes "-".
                if (value.Length == 0)
                {
                    return SdpParseError.MissingSessionName;
                }

                session.SessionName = value;
                haveName = true;
                return SdpParseError.None;
            case 't' when media is null:
                // RFC 8866 §5.9: start and stop times, decimal NTP seconds.
                string[] times = SdpText.Fields(value);
                if (times.Length != 2 || !SdpText.TryULong(times[0], out _) || !SdpText.TryULong(times[1], out _))
                {
                    return SdpParseError.InvalidTiming;
                }

                session.Timings.Add(value);
                return SdpParseError.None;
            case 'c':
                if (!SdpConnection.TryParse(value, out SdpConnection? connection))
                {
                    return SdpParseError.InvalidConnection;
                }

                section.Connections.Add(connection!);
                return SdpParseError.None;
            case 'b':
                if (!SdpBandwidth.TryParse(value, out SdpBandwidth? bandwidth))
                {
                    return SdpParseError.InvalidBandwidth;
                }

                section.Bandwidths.Add(bandwidth!);
                return SdpParseError.None;
            case 'm':
                if (!haveOrigin || !haveName || session.Timings.Count == 0)
                {
                    return !haveOrigin ? SdpParseError.MissingOrigin : !haveName ? SdpParseError.MissingSessionName : SdpParseError.MissingTiming;
                }

                if (session.Media.Count >= limits.MaxMediaSections)
                {
                    return SdpParseError.TooManyMediaSections;
                }

                media = ParseMediaLine(value);
                if (media is null)
                {
                    return SdpParseError.InvalidMedia;
                }

                session.Media.Add(media);
                return SdpParseError.None;
            case 'a':
                return SdpAttributeParser.Parse(session, media, value);
            case 'i' or 'k':
                section.OtherLines.Add(new(type, value));
                return SdpParseError.None;
            case 'u' or 'e' or 'p' or 'r' or 'z' when media is null:
                section.OtherLines.Add(new(type, value));
                return SdpParseError.None;
            default:
                // RFC 8866 §5: unknown types and session lines in the wrong place are refused.
                return SdpParseError.LineOutOfPlace;
        }
    }

    private static MediaDescription? ParseMediaLine(string value)
    {
        // RFC 8866 §5.14: m=<media> <port>[/<number of ports>] <proto> <fmt> ...
        string[] f = SdpText.Fields(value);
        if (f.Length < 4 || !SdpText.IsToken(f[0]) || !SdpText.IsWord(f[2]))
        {
            return null;
        }

        string portText = f[1];
        int? portCount = null;
        int slash = portText.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!SdpText.TryInt(portText[(slash + 1)..], 1, 65535, out int n))
            {
                return null;
            }

            portCount = n;
            portText = portText[..slash];
        }

        if (!SdpText.TryInt(portText, 0, 65535, out int port) || !f[3..].All(SdpText.IsWord))
        {
            return null;
        }

        var media = new MediaDescription { Kind = f[0], Port = port, PortCount = portCount, Protocol = f[2] };
        media.Formats.AddRange(f[3..]);
        return media;
    }
}
