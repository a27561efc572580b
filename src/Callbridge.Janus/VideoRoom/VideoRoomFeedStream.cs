namespace Callbridge.Janus.VideoRoom;

/// <summary>A stream to subscribe to or drop: a publisher's feed id and, optionally, one of its mids (all of them when null).</summary>
public sealed record VideoRoomFeedStream(long Feed, string? Mid);
