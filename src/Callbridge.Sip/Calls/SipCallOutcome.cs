namespace Callbridge.Sip.Calls;

/// <summary>How a call ended or failed, with the SIP status and reason behind it.</summary>
public enum SipCallOutcome
{
    None,
    /// <summary>Outgoing: 486 Busy Here, 600 Busy Everywhere, 603 Decline.</summary>
    Busy,
    /// <summary>Outgoing: 408/480, or our no-answer timer cancelled it.</summary>
    NoAnswer,
    /// <summary>Outgoing: any other non-2xx final response, or a transaction timeout.</summary>
    Failed,
    /// <summary>Incoming: the caller sent CANCEL before answer. Outgoing: we cancelled.</summary>
    Cancelled,
    /// <summary>Incoming: we answered with a non-2xx.</summary>
    Rejected,
    /// <summary>The remote side sent BYE.</summary>
    RemoteHangup,
    /// <summary>We sent BYE.</summary>
    LocalHangup,
    /// <summary>UAS: no ACK for our 2xx within 64*T1 (§13.3.1.4), so the dialog was closed with BYE.</summary>
    NoAck,
    /// <summary>An in-dialog OPTIONS keepalive got 408/481 or no answer (RFC 5057 §5.1): the peer lost the dialog.</summary>
    KeepaliveFailed,
}

