namespace Callbridge.Gateways;

/// <summary>
/// The supervising host's ear. Gateways call it from any thread and must not wait on it; implementations
/// return at once (queue the work).
/// </summary>
public interface IGatewayObserver
{
    /// <summary>The gateway moved to <paramref name="state"/>; <paramref name="detail"/> says why in plain words.</summary>
    void OnStateChanged(IGateway gateway, GatewayRunState state, string? detail);

    /// <summary>
    /// The media core's detector marked a track this gateway receives as end-to-end encrypted. The host feeds
    /// this to the negotiator, which orders every media gateway of the conference to leave.
    /// </summary>
    void OnEncryptedMediaObserved(IGateway gateway, string participantId, string trackId, string format);

    /// <summary>The conference's E2EE room policy as the gateway's session learned it (first value and every change).</summary>
    void OnRoomPolicyObserved(IGateway gateway, bool requiresE2ee);

    /// <summary>A captions gateway recognized speech (partials at least every second while someone speaks, then a final).</summary>
    void OnCaption(IGateway gateway, CaptionUpdate caption);

    /// <summary>A phone bridge's call moved on (dial-out ringing, answered, busy, ...); <paramref name="detail"/> for the host.</summary>
    void OnCallProgress(IGateway gateway, CallProgress progress, string? detail);

    /// <summary>
    /// Something the operator should see while the gateway keeps running (e.g. "engine-restarted": a speech
    /// engine restarted its crashed worker; "speaker-refused": a speaker could not be captioned). Lower-case,
    /// hyphenated <paramref name="code"/>; <paramref name="detail"/> in plain words. Ignored unless implemented.
    /// </summary>
    void OnNotice(IGateway gateway, string code, string detail)
    {
    }
}
