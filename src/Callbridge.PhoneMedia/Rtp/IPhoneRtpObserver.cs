namespace Callbridge.PhoneMedia;

/// <summary>
/// Sees every RTP datagram of a phone session as it is received and sent, with the session's
/// <see cref="TimeProvider"/> timestamp; for delay measurement. Called on the session's threads (the send
/// under its lock): it must be quick and must not call back into the session. The span is valid only during the call.
/// </summary>
public interface IPhoneRtpObserver
{
    void OnRtpReceived(ReadOnlySpan<byte> datagram, long timestamp);

    void OnRtpSent(ReadOnlySpan<byte> packet, long timestamp);
}
