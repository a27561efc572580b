namespace Callbridge.Ice;

/// <summary>Agent state, with the meanings WebRTC gives them (W3C RTCIceConnectionState).</summary>
public enum IceConnectionState
{
    New,
    /// <summary>Checks are running and no pair is selected yet.</summary>
    Checking,
    /// <summary>A nominated pair is selected; checks may still be running.</summary>
    Connected,
    /// <summary>A pair is selected and no check is left.</summary>
    Completed,
    /// <summary>Every pair failed, or consent expired (RFC 7675 §5.1).</summary>
    Failed,
    /// <summary>Consent responses stopped for longer than the disconnect threshold; may recover.</summary>
    Disconnected,
    Closed,
}
