using System.Globalization;

namespace Callbridge.Negotiation.Clients;

/// <summary>
/// Classifies a user agent against the service's floor for the Encoded Transform API (insertable
/// streams / RTCRtpScriptTransform), which per-frame E2EE needs in the browser:
/// Chrome and Edge on Chromium 94+, Firefox 113+, Safari 15.4+ on macOS and iOS (every iOS browser is
/// WebKit, so the iOS version decides), Internet Explorer and EdgeHTML never. Anything else is Unknown:
/// an Android WebView, an embedded app, a bot. Unknown is reported, never guessed.
/// </summary>
public static class E2eeClientSupport
{
    public static readonly Version ChromiumFloor = new(94, 0);
    public static readonly Version FirefoxFloor = new(113, 0);
    public static readonly Version SafariFloor = new(15, 4);

    public static ClientAssessment Classify(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return new(ClientFamily.Unknown, null, ClientSupport.Unknown, "its client sent no user agent, so its support cannot be checked");
        }

        ReadOnlySpan<char> ua = userAgent.AsSpan();
        if (ua.Contains("Trident/", StringComparison.Ordinal) || ua.Contains("MSIE ", StringComparison.Ordinal))
        {
            return new(ClientFamily.InternetExplorer, TokenVersion(ua, "MSIE ") ?? TokenVersion(ua, "rv:"), ClientSupport.Unsupported,
                "Internet Explorer cannot take part in end-to-end encrypted meetings");
        }

        if (TokenVersion(ua, " Edge/") is { } legacyEdge)
        {
            return new(ClientFamily.EdgeLegacy, legacyEdge, ClientSupport.Unsupported,
                "the original Microsoft Edge (before it moved to Chromium) cannot take part in end-to-end encrypted meetings");
        }

        if (ua.Contains("iPhone", StringComparison.Ordinal) || ua.Contains("iPad", StringComparison.Ordinal) || ua.Contains("iPod", StringComparison.Ordinal))
        {
            Version? ios = IosVersion(ua);
            return ios is null
                ? new(ClientFamily.IosWebKit, null, ClientSupport.Unknown, "its iOS version could not be read from the client")
                : Floor(ClientFamily.IosWebKit, ios, SafariFloor, "iOS");
        }

        if (TokenVersion(ua, "Firefox/") is { } firefox)
        {
            return Floor(ClientFamily.Firefox, firefox, FirefoxFloor, "Firefox");
        }

        if ((TokenVersion(ua, "Edg/") ?? TokenVersion(ua, "EdgA/")) is { } edge)
        {
            return Floor(ClientFamily.Edge, edge, ChromiumFloor, "Edge");
        }

        if (TokenVersion(ua, "Chrome/") is { } chrome)
        {
            // An Android WebView ("; wv)") is an app's embedded browser: whether the app exposes the
            // transform API is the app's choice, so it is not judged by its engine version.
            if (ua.Contains("; wv)", StringComparison.Ordinal))
            {
                return new(ClientFamily.Unknown, chrome, ClientSupport.Unknown, "it uses an app's embedded Android WebView, whose support cannot be checked");
            }

            bool otherBrand = ua.Contains("OPR/", StringComparison.Ordinal) || ua.Contains("SamsungBrowser/", StringComparison.Ordinal)
                || ua.Contains("YaBrowser/", StringComparison.Ordinal) || ua.Contains("Vivaldi/", StringComparison.Ordinal);
            return otherBrand
                ? Floor(ClientFamily.ChromiumBased, chrome, ChromiumFloor, "its Chromium engine")
                : Floor(ClientFamily.Chrome, chrome, ChromiumFloor, "Chrome");
        }

        if (ua.Contains("Macintosh", StringComparison.Ordinal) && ua.Contains("Safari/", StringComparison.Ordinal)
            && TokenVersion(ua, "Version/") is { } safari)
        {
            return Floor(ClientFamily.Safari, safari, SafariFloor, "Safari");
        }

        return new(ClientFamily.Unknown, null, ClientSupport.Unknown, "its client was not recognized, so its support cannot be checked");
    }

    private static ClientAssessment Floor(ClientFamily family, Version version, Version floor, string name)
    {
        string shown = version.ToString(2);
        string needed = floor.Minor == 0 ? floor.Major.ToString(CultureInfo.InvariantCulture) : floor.ToString(2);
        return version >= floor
            ? new(family, version, ClientSupport.Supported, $"{name} {shown} supports end-to-end encryption")
            : new(family, version, ClientSupport.Unsupported, $"{name} {shown} is too old for end-to-end encryption ({name} {needed} or newer is needed)");
    }

    /// <summary>The "major[.minor]" right after <paramref name="token"/>, or null.</summary>
    private static Version? TokenVersion(ReadOnlySpan<char> ua, string token)
    {
        int at = ua.IndexOf(token, StringComparison.Ordinal);
        return at < 0 ? null : ReadVersion(ua[(at + token.Length)..], '.');
    }

    /// <summary>iOS writes its version as "OS 15_4_1 like Mac OS X" ("CPU iPhone OS" or "CPU OS" on iPad).</summary>
    private static Version? IosVersion(ReadOnlySpan<char> ua)
    {
        int at = ua.IndexOf(" OS ", StringComparison.Ordinal);
        return at < 0 ? null : ReadVersion(ua[(at + 4)..], '_');
    }

    private static Version? ReadVersion(ReadOnlySpan<char> s, char separator)
    {
        int major = ReadNumber(ref s);
        if (major < 0)
        {
            return null;
        }

        int minor = 0;
        if (s.Length > 1 && s[0] == separator)
        {
            s = s[1..];
            minor = Math.Max(0, ReadNumber(ref s));
        }

        return new Version(major, minor);
    }

    private static int ReadNumber(ref ReadOnlySpan<char> s)
    {
        int i = 0;
        int value = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i]) && i < 6)
        {
            value = (value * 10) + (s[i] - '0');
            i++;
        }

        s = s[i..];
        return i == 0 ? -1 : value;
    }
}
