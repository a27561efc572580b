namespace Callbridge.Sip.Transactions;

/// <summary>States of §17.1.1 (INVITE client), §17.1.2 (non-INVITE client), §17.2.1, §17.2.2. Accepted is
/// RFC 6026 §7.1: after a 2xx the INVITE transactions linger 64*T1 to absorb retransmissions.</summary>
public enum SipTransactionState { Calling, Trying, Proceeding, Completed, Confirmed, Accepted, Terminated }
