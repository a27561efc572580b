using Callbridge.Sip.Headers;

namespace Callbridge.Gateways.Sip;

/// <summary>The Reason headers (RFC 3326) the bridge puts on the BYEs it sends; the text carries a machine-readable code.</summary>
internal static class BridgeReasons
{
    /// <summary>Refused or left by the negotiator: SIP 603 Decline with the negotiator's reason code as text.</summary>
    public static SipReason Negotiator(string reasonCode) => SipReason.Sip(603, reasonCode);

    public const string PinLockedOut = "pin.locked_out";
    public const string PinFailed = "pin.failed";

    public static SipReason LockedOut => SipReason.Sip(403, PinLockedOut);

    public static SipReason WrongPin => SipReason.Sip(403, PinFailed);

    /// <summary>The bridge or the API ended a normal call: Q.850 16 normal clearing.</summary>
    public static SipReason NormalClearing => SipReason.Q850(16, "Normal call clearing");

    public static SipReason ConferenceGone(string why) => SipReason.Q850(16, "conference." + why);
}
