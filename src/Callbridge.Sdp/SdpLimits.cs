namespace Callbridge.Sdp;

/// <summary>Bounds on what the parser accepts from the network.</summary>
public sealed record SdpLimits
{
    /// <summary>256 KiB: a Chromium offer with simulcast is ~20 KiB, a Janus multistream offer for 50 feeds ~100 KiB.</summary>
    public int MaxLength { get; init; } = 256 * 1024;

    public int MaxLines { get; init; } = 8192;

    /// <summary>4 KiB: the longest real lines (candidates, fmtp with profile lists) are a few hundred bytes.</summary>
    public int MaxLineLength { get; init; } = 4096;

    /// <summary>Janus multistream subscriptions put one m-section per feed and track.</summary>
    public int MaxMediaSections { get; init; } = 256;

    public static SdpLimits Default { get; } = new();
}
