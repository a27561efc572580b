namespace Callbridge.PhoneMedia;

/// <summary>
/// One call's view of a <see cref="RoomAudio"/>: its read position in every track and local caller's ring, the
/// ring its own caller speaks into (which it never hears), and its counters. Everything here is guarded by the room's lock; <see cref="Sum"/> belongs to the single thread
/// that mixes for this member (the call's media clock thread).
/// </summary>
public sealed class RoomAudioMember : IDisposable
{
    private readonly RoomAudio _room;
    private readonly Cursor[] _cursors;
    private bool _disposed;

    internal RoomAudioMember(RoomAudio room, int slots, long joinSequence, long decodedAtJoin, long ignoredAtJoin)
    {
        _room = room;
        _cursors = new Cursor[slots];
        JoinSequence = joinSequence;
        DecodedAtJoin = decodedAtJoin;
        IgnoredAtJoin = ignoredAtJoin;
    }

    public RoomAudio Room => _room;

    internal long JoinSequence { get; }

    internal long DecodedAtJoin { get; }

    internal long IgnoredAtJoin { get; }

    internal long SamplesDropped { get; set; }

    internal long MixedFrames { get; set; }

    internal long BacklogSamplesDropped { get; set; }

    internal long QueuedSamples { get; set; }

    internal long QueuedFrames { get; set; }

    internal long TrackUnderruns { get; set; }

    internal long CallerUnderruns { get; set; }

    /// <summary>The room's slot this member's own caller speaks into, or -1 before its first frame and after it stopped.</summary>
    internal int LocalSlot { get; set; } = -1;

    /// <summary>Set once the member left: a frame spoken after that takes no slot.</summary>
    internal bool Removed { get; set; }

    /// <summary>The mixer's 32-bit accumulator for one 20 ms frame.</summary>
    internal Span<int> Sum => _sum;

    private readonly int[] _sum = new int[PhoneConferenceAudio.FrameSamples];

    /// <summary>
    /// This member's own caller's 20 ms at 8 kHz (160 samples): the room's other members hear it straight from
    /// here. Call it every frame, from the thread that mixes for this member.
    /// </summary>
    public void Speak(ReadOnlySpan<short> frame)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(frame.Length, PhoneConferenceAudio.FrameSamples);
        _room.Speak(this, frame);
    }

    /// <summary>The caller's audio stopped (the call stops its media): the others stop waiting for it.</summary>
    public void StopSpeaking() => _room.StopSpeaking(this);

    /// <summary>Everyone this member may hear, 20 ms at 8 kHz, into <paramref name="mix"/> (160 samples).</summary>
    public void Read(Span<short> mix)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(mix.Length, PhoneConferenceAudio.FrameSamples);
        _room.Mix(this, mix);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _room.RemoveMember(this);
    }

    internal ref Cursor CursorOf(int slot) => ref _cursors[slot];

    /// <summary>
    /// Where this member is in one slot's track. Invariant: <c>Origin &lt;= Position &lt;= Written</c> of the
    /// slot while <c>Epoch</c> equals the slot's; a different epoch means a new track, and the cursor restarts.
    /// The window fields follow the queue level for <c>RoomAudio.ShortenStandingBacklog</c>: the lowest level in
    /// the current window of <c>WindowFrames</c> mixes, and what the last whole window left above the target,
    /// less what was taken out since.
    /// </summary>
    internal struct Cursor
    {
        public long Epoch;
        public long Position;
        public long Origin;
        public int WindowFrames;
        public long WindowLowest;
        public long StandingExcess;
    }
}
