using Callbridge.PhoneMedia;

namespace Callbridge.Gateways.Sip;

/// <summary>A call's place in its room's hub: its mix, until disposed.</summary>
internal sealed class RoomAudioLease(RoomAudioHubs hubs, RoomAudioHub hub, RoomAudioMember member) : IAsyncDisposable
{
    private int _disposed;

    public RoomAudioHub Hub { get; } = hub;

    public RoomAudioMember Member { get; } = member;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Hub.Remove(Member);
        await hubs.ReleaseAsync(Hub).ConfigureAwait(false);
    }
}
