namespace Callbridge.Sip.Dialogs;

/// <summary>Dialog states (RFC 3261 §12): early from a 1xx with a To tag, confirmed from a 2xx.</summary>
public enum SipDialogState { Early, Confirmed, Terminated }
