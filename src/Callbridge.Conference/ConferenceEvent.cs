namespace Callbridge.Conference;

/// <summary>Something that happened in a conference the bot is in. Delivered in order, each once.</summary>
public abstract record ConferenceEvent(DateTimeOffset At);

public sealed record ParticipantJoined(DateTimeOffset At, ConferenceParticipant Participant) : ConferenceEvent(At);

public sealed record ParticipantLeft(DateTimeOffset At, string ParticipantId) : ConferenceEvent(At);

public sealed record TrackPublished(DateTimeOffset At, PublishedTrack Track) : ConferenceEvent(At);

public sealed record TrackUnpublished(DateTimeOffset At, PublishedTrack Track) : ConferenceEvent(At);

/// <summary>The room's E2EE policy as the SFU reports it changed (or was first learned).</summary>
public sealed record ConferencePolicyChanged(DateTimeOffset At, bool RequiresE2ee) : ConferenceEvent(At);

/// <summary>The signalling connection to the SFU was lost; media may have stopped. The client tries to rejoin.</summary>
public sealed record ConferenceDisconnected(DateTimeOffset At, string Reason) : ConferenceEvent(At);

/// <summary>The client rejoined after <see cref="ConferenceDisconnected"/>; the roster was rebuilt.</summary>
public sealed record ConferenceReconnected(DateTimeOffset At, int Attempts) : ConferenceEvent(At);

/// <summary>The conference is gone (destroyed, or the bot was removed) and will not come back.</summary>
public sealed record ConferenceEnded(DateTimeOffset At, string Reason) : ConferenceEvent(At);
