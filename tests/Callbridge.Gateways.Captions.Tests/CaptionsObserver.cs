using System.Collections.Concurrent;

namespace Callbridge.Gateways.Captions.Tests;

/// <summary>An observer that keeps every call with its arrival time, for assertions.</summary>
internal sealed class CaptionsObserver : IGatewayObserver
{
    public ConcurrentQueue<(GatewayRunState State, string? Detail)> States { get; } = new();

    public ConcurrentQueue<(string ParticipantId, string TrackId, string Format)> Encrypted { get; } = new();

    public ConcurrentQueue<bool> Policies { get; } = new();

    public ConcurrentQueue<(CaptionUpdate Caption, DateTimeOffset At)> Captions { get; } = new();

    public ConcurrentQueue<(string Code, string Detail)> Notices { get; } = new();

    public void OnStateChanged(IGateway gateway, GatewayRunState state, string? detail) => States.Enqueue((state, detail));

    public void OnEncryptedMediaObserved(IGateway gateway, string participantId, string trackId, string format) => Encrypted.Enqueue((participantId, trackId, format));

    public void OnRoomPolicyObserved(IGateway gateway, bool requiresE2ee) => Policies.Enqueue(requiresE2ee);

    public void OnCaption(IGateway gateway, CaptionUpdate caption) => Captions.Enqueue((caption, DateTimeOffset.UtcNow));

    public void OnCallProgress(IGateway gateway, CallProgress progress, string? detail)
    {
    }

    public void OnNotice(IGateway gateway, string code, string detail) => Notices.Enqueue((code, detail));

    public async Task WaitForAsync(Func<CaptionsObserver, bool> condition, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The expected gateway calls did not come in time.");
            }

            await Task.Delay(10);
        }
    }
}
