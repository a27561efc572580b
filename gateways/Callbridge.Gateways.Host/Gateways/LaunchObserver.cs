namespace Callbridge.Gateways.Host.Gateways;

/// <summary>
/// The observer handed to one gateway at launch. Gateways call it from their own threads and must not wait:
/// every call is handed to the supervisor's serialized loop (state and E2EE evidence) or published at once
/// (captions, call progress: the notice service never blocks).
/// </summary>
internal sealed class LaunchObserver(GatewaySupervisor supervisor, SupervisedGateway record) : IGatewayObserver
{
    public void OnStateChanged(IGateway gateway, GatewayRunState state, string? detail) =>
        supervisor.Post(() => supervisor.OnGatewayState(record, state, detail));

    public void OnEncryptedMediaObserved(IGateway gateway, string participantId, string trackId, string format) =>
        supervisor.Post(() => supervisor.OnEncryptedTrackAsync(record, participantId, trackId, format));

    public void OnRoomPolicyObserved(IGateway gateway, bool requiresE2ee) =>
        supervisor.Post(() => supervisor.OnRoomPolicyAsync(record, requiresE2ee));

    public void OnCaption(IGateway gateway, CaptionUpdate caption) => supervisor.OnCaption(record, caption);

    public void OnCallProgress(IGateway gateway, CallProgress progress, string? detail) => supervisor.OnCallProgress(record, progress, detail);
}
