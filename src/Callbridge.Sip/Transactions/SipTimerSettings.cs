namespace Callbridge.Sip.Transactions;

/// <summary>RFC 3261 §17.1.1.1 / Table 4 timer bases. The defaults are the RFC's recommended values.</summary>
public sealed record SipTimerSettings
{
    public static SipTimerSettings Default { get; } = new();

    /// <summary>T1, RTT estimate: 500 ms (§17.1.1.1).</summary>
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>T2, the longest retransmit interval for non-INVITE requests and INVITE responses: 4 s.</summary>
    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);
    /// <summary>T4, the longest a message stays in the network: 5 s.</summary>
    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Timer D lower bound on unreliable transports: 32 s (§17.1.1.2).</summary>
    public TimeSpan TimerDUnreliable { get; init; } = TimeSpan.FromSeconds(32);

    /// <summary>Timers B, F, H, J: 64*T1 (§17.1.1.2, §17.1.2.2, §17.2.1, §17.2.2).</summary>
    public TimeSpan TransactionTimeout => T1 * 64;
}
