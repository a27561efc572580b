namespace Callbridge.Janus.VideoRoom;

/// <summary>Parameters of VideoRoom <c>create</c>; unset values keep Janus's defaults.</summary>
public sealed class VideoRoomCreateOptions
{
    /// <summary>Room id; null lets Janus pick a random one.</summary>
    public long? Room { get; init; }

    public string? Description { get; init; }

    /// <summary>Maximum concurrent publishers (Janus default 3).</summary>
    public int? Publishers { get; init; }

    /// <summary>Janus 1.1.2: publishers must mark their jsep with <c>e2ee:true</c> or get error 433.</summary>
    public bool RequireE2ee { get; init; }

    /// <summary>Comma-separated audio codecs in preference order, e.g. "opus" (Janus default "opus").</summary>
    public string? AudioCodec { get; init; }

    /// <summary>Comma-separated video codecs, e.g. "vp8,h264" (Janus default "vp8").</summary>
    public string? VideoCodec { get; init; }

    /// <summary>Send <c>joining</c> events for every participant, not only publishers (bots need to see listeners).</summary>
    public bool NotifyJoining { get; init; }

    /// <summary>Maximum publisher bitrate in bits per second (Janus default 0 = no limit).</summary>
    public int? Bitrate { get; init; }

    /// <summary>Secret needed to edit or destroy the room.</summary>
    public string? Secret { get; init; }

    /// <summary>Hide the room from <c>list</c>.</summary>
    public bool IsPrivate { get; init; }

    /// <summary>Also save it to the plugin's config file (off: tests must leave no state).</summary>
    public bool Permanent { get; init; }
}
