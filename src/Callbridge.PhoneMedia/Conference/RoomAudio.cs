using Callbridge.Audio.Opus;
using Callbridge.Conference;

namespace Callbridge.PhoneMedia;

/// <summary>
/// The conference audio of one room, decoded once for every phone call in it: each subscribed audio track is
/// Opus-decoded at the phone's 8 kHz into its own bounded ring of samples, and each call (a <see cref="RoomAudioMember"/>)
/// reads every ring through its own cursor and sums the tracks it may hear (never its own caller's). A call
/// therefore sees exactly the queue a subscription of its own would give it (same bound, same drops, same
/// underruns) while the decoding is done once per room. Nothing is allocated per frame.
/// </summary>
/// <remarks>
/// <para>Callers of the same room on the same bridge hear each other here, not through the SFU: each member's
/// caller writes its 8 kHz frames into a ring of its own (<see cref="RoomAudioMember.Speak"/>), which the other
/// members read like any track. The SFU then need not send the bridge back what the bridge published, and
/// nobody's voice goes through an Opus round trip on its way from one phone to another; the room's subscription
/// leaves those callers out (see the gateway's room hub). Should their tracks arrive anyway, the room knows them
/// (<c>isLocalCaller</c>) and neither decodes them nor lets anyone hear them: each caller is heard once, from its ring.</para>
/// <para>Threads: the <see cref="IConferenceMediaSink"/> calls come from the media core's receive loop; members
/// speak and read from the media clock's threads. <c>_gate</c> guards the track table, the rings and every member's cursors.
/// <c>isLocalCaller</c> is asked under <c>_gate</c>, so it must not call into the room.
/// Invariants: a slot's <c>Written</c> only grows while the slot holds one track or one local caller; the ring
/// holds samples <c>[Written - min(Written, capacity), Written)</c>; every acquisition gets a fresh <c>Epoch</c>
/// from <c>_sequence</c>, which members compare with their own join sequence to start a new track at its
/// beginning and an old track at its present (a local caller's ring: a lead behind its writes, either way).</para>
/// </remarks>
public sealed class RoomAudio : IConferenceMediaSink, IDisposable
{
    /// <summary>
    /// The rate the tracks are decoded at: the phone's. libopus band-limits any stream to it in the decoder
    /// (SILK coded at 8 kHz as is, CELT and wider SILK band-limited to 4 kHz), so no resampler follows.
    /// </summary>
    public const int SampleRate = PhoneRtpSession.ClockRate;

    /// <summary>120 ms at <see cref="SampleRate"/>: the longest Opus packet (RFC 6716 §3.2.5).</summary>
    private const int MaxOpusSamples = 120 * SampleRate / 1000;

    /// <summary>
    /// How far behind a local caller's writes its listeners start reading: two frames (40 ms). A room's calls tick
    /// on one media clock thread, but within a pass the listener may come before the speaker (one frame), and a
    /// pass that woke a period late runs two frames of each call in a row (the other). A listener that still runs
    /// dry (a longer stall, or the two on different threads) waits, as on any track: its lag grows by what it
    /// missed, up to <see cref="PhoneConferenceAudioOptions.MaxQueuedFrames"/>, and shrinks back to
    /// <see cref="BacklogTargetSamples"/> in the caller's pauses.
    /// </summary>
    internal const int LocalLeadSamples = 2 * PhoneConferenceAudio.FrameSamples;

    /// <summary>
    /// What a member may keep queued in a track or ring for good: two frames (40 ms), room for ordinary arrival
    /// jitter. More than that, held through a whole <see cref="BacklogWindowFrames"/>, is a standing backlog.
    /// </summary>
    internal const int BacklogTargetSamples = 2 * PhoneConferenceAudio.FrameSamples;

    /// <summary>
    /// Mixes (one second) over which a member's lowest queue level in a slot is taken: what stayed queued all that
    /// time is delay a stall's burst left behind, which no jitter used, and only that is taken out.
    /// </summary>
    internal const int BacklogWindowFrames = 50;

    private readonly Lock _gate = new();
    private readonly Slot[] _slots;
    private readonly Dictionary<string, int> _slotByTrack = new(StringComparer.Ordinal);
    private readonly HashSet<string> _localCallerTracks = new(StringComparer.Ordinal);
    private readonly Func<string, bool>? _isLocalCaller;
    private readonly List<RoomAudioMember> _members = [];
    private readonly short[] _decoded = new short[MaxOpusSamples];
    private long _sequence;
    private long _decodedFrames;
    private long _ignored;
    private bool _disposed;

    /// <param name="options">Track and queue bounds.</param>
    /// <param name="isLocalCaller">
    /// Whether a participant is the caller of one of the room's members (null: none is). Its conference tracks are
    /// ignored: the room hears that caller from its ring. Asked once per track, when the track would take a slot.
    /// </param>
    public RoomAudio(PhoneConferenceAudioOptions? options = null, Func<string, bool>? isLocalCaller = null)
    {
        Options = options ?? new PhoneConferenceAudioOptions();
        _isLocalCaller = isLocalCaller;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxTracks);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.MaxQueuedFrames);
        _slots = new Slot[Options.MaxTracks];
        for (int i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new Slot(Options.MaxQueuedFrames * PhoneConferenceAudio.FrameSamples);
        }
    }

    public PhoneConferenceAudioOptions Options { get; }

    /// <summary>Conference frames decoded so far (once each, however many calls hear them).</summary>
    public long DecodedFrames
    {
        get
        {
            lock (_gate) return _decodedFrames;
        }
    }

    /// <summary>Calls reading this room now.</summary>
    public int MemberCount
    {
        get
        {
            lock (_gate) return _members.Count;
        }
    }

    /// <summary>A new call in the room: it hears tracks from now on, and tracks that start later from their beginning.</summary>
    public RoomAudioMember AddMember()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var member = new RoomAudioMember(this, _slots.Length, ++_sequence, _decodedFrames, _ignored);
            _members.Add(member);
            return member;
        }
    }

    internal void RemoveMember(RoomAudioMember member)
    {
        lock (_gate)
        {
            _members.Remove(member);
            member.Removed = true;
            ReleaseLocalLocked(member);
        }
    }

    /// <summary>
    /// <paramref name="member"/>'s caller said these 20 ms: the room's other members hear them. The first frame
    /// takes a slot; with none free (<see cref="PhoneConferenceAudioOptions.MaxTracks"/> tracks and callers already
    /// heard) the room's other calls do not hear this caller, as they would not hear one more conference track.
    /// </summary>
    internal void Speak(RoomAudioMember member, ReadOnlySpan<short> frame)
    {
        lock (_gate)
        {
            if (_disposed || member.Removed)
            {
                return;
            }

            if (member.LocalSlot < 0)
            {
                int free = FreeSlotLocked();
                if (free < 0)
                {
                    return;
                }

                _slots[free].AcquireLocal(member, ++_sequence, LocalLeadSamples);
                member.LocalSlot = free;
            }

            _slots[member.LocalSlot].Write(frame);
        }
    }

    /// <summary>The caller stopped speaking into the room (its media stopped, or it left): listeners stop waiting for it.</summary>
    internal void StopSpeaking(RoomAudioMember member)
    {
        lock (_gate) ReleaseLocalLocked(member);
    }

    private void ReleaseLocalLocked(RoomAudioMember member)
    {
        if (member.LocalSlot >= 0)
        {
            _slots[member.LocalSlot].Release();
            member.LocalSlot = -1;
        }
    }

    public void OnFrame(in ConferenceFrame frame)
    {
        lock (_gate)
        {
            if (_disposed || frame.Track.Kind != TrackKind.Audio || frame.LooksEncrypted)
            {
                _ignored++;
                return;
            }

            int index = SlotOfLocked(frame.Track);
            if (index < 0 || _slots[index].Encrypted)
            {
                _ignored++;
                return;
            }

            Slot slot = _slots[index];
            OpusDecoder decoder = slot.Decoder!;
            if (frame.AfterLoss)
            {
                // Opus concealment (PLC) stands in for what was lost before this frame, as long as the packet before
                // it: a phone caller's 40 ms packet lost is 40 ms to cover, a browser's 20 ms.
                int lost = slot.LastPacketSamples > 0 ? slot.LastPacketSamples : PhoneConferenceAudio.FrameSamples;
                if (decoder.TryDecode(default, _decoded.AsSpan(0, lost), out int concealed) == OpusError.Ok)
                {
                    slot.Write(_decoded.AsSpan(0, concealed));
                }
            }

            if (decoder.TryDecode(frame.Data, _decoded, out int samples) != OpusError.Ok)
            {
                _ignored++;
                return;
            }

            slot.Write(_decoded.AsSpan(0, samples));
            slot.LastPacketSamples = samples;
            _decodedFrames++;
        }
    }

    public void OnTrackStarted(PublishedTrack track)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (track.Kind != TrackKind.Audio)
        {
            return;
        }

        lock (_gate)
        {
            if (!_disposed)
            {
                SlotOfLocked(track);
            }
        }
    }

    public void OnTrackEnded(PublishedTrack track, string reason)
    {
        ArgumentNullException.ThrowIfNull(track);
        lock (_gate)
        {
            if (_slotByTrack.Remove(track.TrackId, out int index))
            {
                _slots[index].Release();
            }

            _localCallerTracks.Remove(track.TrackId);
        }
    }

    /// <summary>An E2EE track cannot be decoded by a server: it is left out of every call's mix from now on.</summary>
    public void OnTrackEncrypted(PublishedTrack track, string format)
    {
        ArgumentNullException.ThrowIfNull(track);
        lock (_gate)
        {
            if (_slotByTrack.TryGetValue(track.TrackId, out int index))
            {
                _slots[index].Encrypted = true;
            }
        }
    }

    /// <summary>
    /// Forgets every conference track (the subscription that delivered them is gone); members restart with the
    /// next ones. The room's local callers did not come through it and stay.
    /// </summary>
    public void ReleaseTracks()
    {
        lock (_gate)
        {
            foreach (int index in _slotByTrack.Values)
            {
                _slots[index].Release();
            }

            _slotByTrack.Clear();
            _localCallerTracks.Clear();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _slotByTrack.Clear();
            _localCallerTracks.Clear();
            foreach (RoomAudioMember member in _members)
            {
                member.LocalSlot = -1;
            }

            foreach (Slot slot in _slots)
            {
                slot.Release();
            }
        }
    }

    /// <summary>
    /// One 20 ms mix for <paramref name="member"/> into <paramref name="mix"/>: a whole frame of every track it
    /// may hear, summed and clipped. Counts the member's underruns (a track or a local caller's ring that had audio
    /// for it has less than a frame queued) and drops (its cursor fell more than the bound behind: the oldest audio
    /// is skipped), and shortens a standing backlog (<see cref="ShortenStandingBacklog"/>).
    /// </summary>
    internal void Mix(RoomAudioMember member, Span<short> mix)
    {
        int frame = PhoneConferenceAudio.FrameSamples;
        Span<int> sum = member.Sum;
        sum.Clear();
        lock (_gate)
        {
            for (int i = 0; i < _slots.Length; i++)
            {
                Slot slot = _slots[i];
                if (!slot.InUse || slot.Encrypted)
                {
                    continue;
                }

                if (ReferenceEquals(slot.Speaker, member))
                {
                    // Its own caller's ring. The cursor is left as it is: a later user of the slot has a new epoch.
                    continue;
                }

                ref RoomAudioMember.Cursor cursor = ref member.CursorOf(i);
                if (cursor.Epoch != slot.Epoch)
                {
                    // A track newer than the member is heard from its first sample; an older one from now on; a
                    // local caller a lead behind its writes, whichever came first.
                    cursor.Epoch = slot.Epoch;
                    cursor.Position = slot.Speaker is not null ? slot.Written - Math.Min(slot.Written, LocalLeadSamples)
                        : slot.Epoch > member.JoinSequence ? 0 : slot.Written;
                    cursor.Origin = cursor.Position;
                    cursor.WindowFrames = 0;
                    cursor.StandingExcess = 0;
                }

                long available = slot.Written - cursor.Position;
                if (available > slot.Capacity)
                {
                    // Keep the newest audio: the mix must not fall behind the conference.
                    member.SamplesDropped += available - slot.Capacity;
                    cursor.Position = slot.Written - slot.Capacity;
                    available = slot.Capacity;
                }

                // Only a track or ring that has had audio for this member can run dry or stand behind.
                bool started = slot.Written > cursor.Origin;
                if (available >= frame)
                {
                    slot.AddTo(cursor.Position, sum[..frame]);
                    cursor.Position += frame;
                    available -= frame;
                    member.QueuedSamples += available;
                    member.QueuedFrames++;
                }
                else if (started)
                {
                    // Counted apart: a ring is filled by a clock of this process, a track by the network.
                    if (slot.Speaker is not null)
                    {
                        member.CallerUnderruns++;
                    }
                    else
                    {
                        member.TrackUnderruns++;
                    }
                }

                if (started)
                {
                    ShortenStandingBacklog(member, slot, ref cursor, available);
                }
            }

            member.MixedFrames++;
        }

        for (int s = 0; s < frame; s++)
        {
            mix[s] = (short)Math.Clamp(sum[s], short.MinValue, short.MaxValue);
        }
    }

    /// <summary>
    /// A stall followed by a burst leaves the member <paramref name="queued"/> samples behind the track for good:
    /// frames then arrive one per mix, so the lag never shrinks by itself, and the caller hears that track late
    /// for the rest of the call. What stayed above <see cref="BacklogTargetSamples"/> through a whole window is
    /// taken out a frame at a time, in the track's pauses where nobody hears it go; speech without a pause still
    /// loses one frame at the end of each window. Jitter that keeps using the queue keeps its room.
    /// </summary>
    private static void ShortenStandingBacklog(RoomAudioMember member, Slot slot, ref RoomAudioMember.Cursor cursor, long queued)
    {
        cursor.WindowLowest = cursor.WindowFrames == 0 ? queued : Math.Min(cursor.WindowLowest, queued);
        bool windowEnded = ++cursor.WindowFrames == BacklogWindowFrames;
        if (windowEnded)
        {
            cursor.StandingExcess = Math.Max(0, cursor.WindowLowest - BacklogTargetSamples);
            cursor.WindowFrames = 0;
        }

        long drop = Math.Min(Math.Min(PhoneConferenceAudio.FrameSamples, cursor.StandingExcess), queued - BacklogTargetSamples);
        if (drop > 0 && (windowEnded || slot.IsQuiet(cursor.Position, (int)drop)))
        {
            cursor.Position += drop;
            cursor.StandingExcess -= drop;
            member.BacklogSamplesDropped += drop;
        }
    }

    internal PhoneConferenceAudioStatistics StatisticsOf(RoomAudioMember member, long encoded, long dropped)
    {
        lock (_gate)
        {
            int active = 0;
            foreach (Slot slot in _slots)
            {
                active += slot.InUse && !ReferenceEquals(slot.Speaker, member) ? 1 : 0;
            }

            return new PhoneConferenceAudioStatistics
            {
                OpusPacketsEncoded = encoded,
                OpusPacketsDropped = dropped,
                ConferenceFramesDecoded = _decodedFrames - member.DecodedAtJoin,
                ConferenceFramesIgnored = _ignored - member.IgnoredAtJoin,
                ConferenceSamplesDropped = member.SamplesDropped,
                ConferenceBacklogSamplesDropped = member.BacklogSamplesDropped,
                MixQueueSamples = member.QueuedSamples,
                MixQueueFrames = member.QueuedFrames,
                MixedFrames = member.MixedFrames,
                TrackUnderruns = member.TrackUnderruns,
                CallerUnderruns = member.CallerUnderruns,
                ActiveTracks = active,
            };
        }
    }

    private int SlotOfLocked(PublishedTrack track)
    {
        if (_slotByTrack.TryGetValue(track.TrackId, out int index))
        {
            return index;
        }

        if (_localCallerTracks.Contains(track.TrackId))
        {
            return -1;
        }

        if (_isLocalCaller?.Invoke(track.ParticipantId) == true)
        {
            // A caller of this room's calls, come back through the SFU: heard from its ring, never twice.
            _localCallerTracks.Add(track.TrackId);
            return -1;
        }

        int free = FreeSlotLocked();
        if (free >= 0)
        {
            _slots[free].Acquire(track, ++_sequence);
            _slotByTrack[track.TrackId] = free;
        }

        return free;
    }

    /// <summary>The first slot holding neither a track nor a local caller, or -1.</summary>
    private int FreeSlotLocked()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (!_slots[i].InUse)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// One conference track's decoded audio, or one local caller's (<see cref="Speaker"/> set, no track).
    /// Invariant: <c>Written</c> counts every sample written since <see cref="Acquire"/> (for a local caller,
    /// from a lead of silence); sample <c>n</c> (for <c>Written - Capacity &lt;= n &lt; Written</c>) is at
    /// <c>_ring[n % Capacity]</c>.
    /// </summary>
    private sealed class Slot
    {
        private readonly short[] _ring;

        public Slot(int capacity) => _ring = new short[capacity];

        public int Capacity => _ring.Length;

        public PublishedTrack? Track { get; private set; }

        public OpusDecoder? Decoder { get; private set; }

        /// <summary>The member whose caller this slot carries, when it is a local caller's.</summary>
        public RoomAudioMember? Speaker { get; private set; }

        public bool InUse => Track is not null || Speaker is not null;

        public bool Encrypted { get; set; }

        /// <summary>Samples the track's last packet decoded to: how much a loss right after it is concealed for.</summary>
        public int LastPacketSamples { get; set; }

        public long Epoch { get; private set; }

        public long Written { get; private set; }

        public void Acquire(PublishedTrack track, long epoch)
        {
            Track = track;
            Epoch = epoch;
            Written = 0;
            Encrypted = false;
            LastPacketSamples = 0;
            Decoder ??= new OpusDecoder(SampleRate, 1);
        }

        /// <summary>A local caller's ring: it starts with <paramref name="lead"/> samples of silence for its listeners to start behind.</summary>
        public void AcquireLocal(RoomAudioMember speaker, long epoch, int lead)
        {
            Speaker = speaker;
            Epoch = epoch;
            Encrypted = false;
            LastPacketSamples = 0;
            Array.Clear(_ring, 0, Math.Min(lead, _ring.Length));
            Written = Math.Min(lead, _ring.Length);
        }

        public void Release()
        {
            Track = null;
            Speaker = null;
            Written = 0;
            Decoder?.Dispose();
            Decoder = null;
        }

        public void Write(ReadOnlySpan<short> samples)
        {
            if (samples.Length > _ring.Length)
            {
                // Readers see the skipped head as dropped samples through the position jump.
                Written += samples.Length - _ring.Length;
                samples = samples[^_ring.Length..];
            }

            int at = (int)(Written % _ring.Length);
            int first = Math.Min(samples.Length, _ring.Length - at);
            samples[..first].CopyTo(_ring.AsSpan(at));
            samples[first..].CopyTo(_ring);
            Written += samples.Length;
        }

        /// <summary>Whether the <paramref name="samples"/> from absolute position <paramref name="position"/> (still in the ring) are a pause.</summary>
        public bool IsQuiet(long position, int samples)
        {
            int at = (int)(position % _ring.Length);
            int first = Math.Min(samples, _ring.Length - at);
            return PauseLevel.IsQuiet(_ring.AsSpan(at, first), _ring.AsSpan(0, samples - first));
        }

        /// <summary>Adds <c>sum.Length</c> samples from absolute position <paramref name="position"/> (still in the ring) to <paramref name="sum"/>.</summary>
        public void AddTo(long position, Span<int> sum)
        {
            int at = (int)(position % _ring.Length);
            int first = Math.Min(sum.Length, _ring.Length - at);
            ReadOnlySpan<short> a = _ring.AsSpan(at, first);
            for (int s = 0; s < a.Length; s++)
            {
                sum[s] += a[s];
            }

            ReadOnlySpan<short> b = _ring.AsSpan(0, sum.Length - first);
            Span<int> rest = sum[first..];
            for (int s = 0; s < b.Length; s++)
            {
                rest[s] += b[s];
            }
        }
    }
}
