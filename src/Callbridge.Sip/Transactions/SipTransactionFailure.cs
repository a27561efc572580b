namespace Callbridge.Sip.Transactions;

/// <summary>Why a client transaction ended without a final response.</summary>
public enum SipTransactionFailure { None, Timeout, TransportError }
