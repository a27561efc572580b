namespace Callbridge.Janus.VideoRoom;

/// <summary>One entry of VideoRoom <c>list</c>.</summary>
/// <param name="RequireE2ee">The only place a joiner learns a room is E2EE in Janus 1.1.2.</param>
public sealed record VideoRoomInfo(
    long Room,
    string Description,
    bool RequireE2ee,
    int NumParticipants,
    int MaxPublishers,
    string? AudioCodec,
    string? VideoCodec,
    bool NotifyJoining);
