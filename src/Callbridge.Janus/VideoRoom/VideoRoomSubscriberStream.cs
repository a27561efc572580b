namespace Callbridge.Janus.VideoRoom;

/// <summary>
/// One m-line of a multistream subscriber as Janus lists it in <c>attached</c> and <c>updated</c>:
/// <c>{"type":"audio","active":true,"mindex":0,"mid":"0","feed_id":F,"feed_mid":"0","codec":"opus"}</c>.
/// </summary>
/// <param name="MIndex">Position of the m-line in Janus's offer.</param>
/// <param name="Mid">The subscriber-side mid (what the offer's a=mid says).</param>
/// <param name="Type">"audio", "video" or "data".</param>
/// <param name="Active">False for an m-line Janus keeps after its feed went away (port 0 in the offer).</param>
/// <param name="FeedId">The publisher whose stream this m-line carries; null when inactive.</param>
/// <param name="FeedMid">The publisher-side mid of that stream.</param>
public sealed record VideoRoomSubscriberStream(int MIndex, string? Mid, string Type, bool Active, long? FeedId, string? FeedMid, string? FeedDisplay, string? Codec);
