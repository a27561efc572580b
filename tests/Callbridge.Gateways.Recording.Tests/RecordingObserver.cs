using System.Collections.Concurrent;

namespace Callbridge.Gateways.Recording.Tests;

/// <summary>An observer that keeps every call, for assertions.</summary>
internal sealed class RecordingObserver : IGatewayObserver
{
    public ConcurrentQueue<(GatewayRunState State, string? Detail)> States { get; } = new();
    public ConcurrentQueue<(string ParticipantId, string TrackId, string Format)> Encrypted { get; } = new();
    public ConcurrentQueue<bool> Policies { get; } = new();

    public void OnStateChanged(IGateway gateway, GatewayRunState state, string? detail) => States.Enqueue((state, detail));

    public void OnEncryptedMediaObserved(IGateway gateway, string participantId, string trackId, string format) => Encrypted.Enqueue((participantId, trackId, format));

    public void OnRoomPolicyObserved(IGateway gateway, bool requiresE2ee) => Policies.Enqueue(requiresE2ee);

    public void OnCaption(IGateway gateway, CaptionUpdate caption) { }

    public void OnCallProgress(IGateway gateway, CallProgress progress, string? detail) { }
}
