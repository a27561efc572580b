namespace Callbridge.Sip.Parsing;

/// <summary>Bounds that keep a hostile peer from exhausting memory (RFC 3261 §18.1.1 suggests 1300-byte
/// UDP messages; a datagram cannot exceed 65,535 bytes, so that is the default message bound).</summary>
public sealed record SipParseLimits
{
    public static SipParseLimits Default { get; } = new();

    /// <summary>Whole message including body, bytes. 65,535: the largest UDP payload.</summary>
    public int MaxMessageSize { get; init; } = 65_535;

    /// <summary>Header lines (after unfolding). 256: far above any real INVITE (about 15-30).</summary>
    public int MaxHeaderCount { get; init; } = 256;

    /// <summary>One header line including folded continuations, bytes. 16 KiB: room for long Route sets.</summary>
    public int MaxLineLength { get; init; } = 16_384;
}
