namespace Callbridge.Janus.VideoRoom;

/// <summary>One entry of VideoRoom <c>listparticipants</c>.</summary>
public sealed record VideoRoomParticipant(long Id, string? Display, bool Publisher, bool Talking);
