namespace Callbridge.Janus.VideoRoom;

/// <summary>A publisher as listed in <c>joined</c> and <c>publishers</c> events.</summary>
/// <param name="Streams">Its media streams (Janus 1.x multistream); empty when Janus lists none.</param>
public sealed record VideoRoomPublisher(long Id, string? Display, IReadOnlyList<VideoRoomStream> Streams)
{
    public VideoRoomPublisher(long id, string? display)
        : this(id, display, [])
    {
    }

    public bool Equals(VideoRoomPublisher? other) =>
        other is not null && Id == other.Id && Display == other.Display && Streams.SequenceEqual(other.Streams);

    public override int GetHashCode() => HashCode.Combine(Id, Display, Streams.Count);
}

/// <summary>One entry of a publisher's <c>streams</c>: <c>{"type":"audio","mindex":0,"mid":"0","codec":"opus"}</c>.</summary>
/// <param name="Type">"audio", "video" or "data".</param>
/// <param name="Disabled">Janus keeps a removed stream listed with <c>"disabled":true</c>.</param>
public sealed record VideoRoomStream(string Type, string? Mid, string? Codec, bool Disabled);
