namespace Callbridge.Negotiation.Clients;

public enum ClientFamily
{
    Unknown,
    Chrome,
    /// <summary>Edge on Chromium (token <c>Edg/</c>, <c>EdgA/</c>).</summary>
    Edge,
    /// <summary>Another browser on the Chromium engine (Opera, Samsung Internet, ...), judged by its <c>Chrome/</c> engine version.</summary>
    ChromiumBased,
    Firefox,
    /// <summary>Safari on macOS.</summary>
    Safari,
    /// <summary>Any browser on iOS or iPadOS: all of them run the system WebKit, so the OS version decides.</summary>
    IosWebKit,
    InternetExplorer,
    /// <summary>Edge before Chromium (EdgeHTML, token <c>Edge/</c>).</summary>
    EdgeLegacy,
}
