namespace Callbridge.Janus.VideoRoom;

/// <summary>The <c>joined</c> event of a publisher join.</summary>
/// <param name="Id">Our participant id (the feed id others subscribe to).</param>
/// <param name="PrivateId">Private id to pass when subscribing, to associate our subscriptions.</param>
/// <param name="Publishers">Publishers already in the room.</param>
public sealed record VideoRoomJoined(long Room, long Id, long PrivateId, IReadOnlyList<VideoRoomPublisher> Publishers);
