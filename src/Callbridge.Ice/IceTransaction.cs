namespace Callbridge.Ice;

/// <summary>An outstanding Binding request (RFC 8489 §6.2.1 retransmission state).</summary>
internal sealed class IceTransaction(IceCandidatePair pair, byte[] request, int length)
{
    public IceCandidatePair Pair { get; } = pair;

    /// <summary>The request bytes, kept for retransmission.</summary>
    public byte[] Request { get; } = request;

    public int Length { get; } = length;

    /// <summary>Password the request was signed with: the response is checked with the same one (RFC 8445 §7.2.5.1).</summary>
    public required byte[] RemoteKey { get; init; }

    public required IceRole RoleWhenSent { get; init; }

    public bool UseCandidate { get; init; }

    /// <summary>Consent freshness check on the selected pair (RFC 7675) rather than a connectivity check.</summary>
    public bool IsConsent { get; init; }

    public int Transmissions { get; set; }

    public long NextTimestamp { get; set; }

    public TimeSpan Rto { get; set; }
}
