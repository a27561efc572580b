namespace Callbridge.Notices.Broadcast;

public sealed class NoticeBroadcasterOptions
{
    /// <summary>Notices kept for Last-Event-ID resume. 256: a host console reconnecting after a network
    /// blip misses a handful; a conference emits a few notices per gateway and participant change.</summary>
    public int ReplayCapacity { get; set; } = 256;

    /// <summary>Notices a subscriber may have pending before it is dropped. 64: a browser keeps up with
    /// this trivially; a subscriber that does not is stuck, and must not hold memory or block others.</summary>
    public int SubscriberCapacity { get; set; } = 64;
}
