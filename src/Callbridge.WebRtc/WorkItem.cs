namespace Callbridge.WebRtc;

/// <summary>
/// One entry of the loop's queue. A struct, so queueing a datagram allocates nothing: <see cref="Buffer"/>
/// is rented from the shared pool by the poster and returned by the loop.
/// </summary>
internal readonly record struct WorkItem(WorkItemKind Kind, byte[]? Buffer = null, int Length = 0, int Value = 0, RemoteTrack? Track = null);
