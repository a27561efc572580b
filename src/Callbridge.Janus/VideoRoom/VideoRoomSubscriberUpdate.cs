namespace Callbridge.Janus.VideoRoom;

/// <summary>
/// What a subscriber handle is told about its m-lines (<c>attached</c>, <c>updated</c>), with Janus's
/// offer when the m-lines changed and the PeerConnection must renegotiate.
/// </summary>
/// <param name="Event">The <c>videoroom</c> field ("attached", "updated", "updating").</param>
public sealed record VideoRoomSubscriberUpdate(string? Event, IReadOnlyList<VideoRoomSubscriberStream> Streams, JanusJsep? Jsep);
