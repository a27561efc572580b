namespace Callbridge.Gateways.Recording;

/// <summary>
/// One participant's sender clock against ours: the difference between our wall clock when the first frame
/// with a sender time arrived and that sender time. Every track of the participant uses the same difference,
/// so its audio and video keep the sync the sender's RTCP sender reports give them (RFC 3550 §6.4.1).
/// </summary>
internal sealed class ParticipantClock
{
    public TimeSpan? SenderOffset { get; set; }
}

/// <summary>
/// Maps a track's RTP timestamps to track time (time since the recording started). Within a track the RTP
/// clock is the timeline: frames keep exactly the spacing the sender gave them. Where that timeline starts
/// comes from the first frame with a sender time (RTCP sender reports): sender time + the participant's
/// clock offset, so a participant's audio and video line up as the sender captured them. Before the first
/// sender report the track starts at its first frame's arrival, and moves once when the report comes: a
/// move forward is a gap; a move backward (the first frame had arrived late) would put the next frames
/// before those already written, and a writer must drop those, so it is caught up gradually instead:
/// each frame lands a quarter of its RTP step earlier than the step says until the timeline is the
/// report's. Nothing is dropped, order is kept, and sync is exact once caught up (100 ms in 0.4 s of audio).
/// Sender times are not followed frame by frame: each new report carries its own few milliseconds of
/// error, and following them would put steps into an otherwise even timeline. A new SSRC starts anew.
/// Loop-owned: not thread-safe.
/// </summary>
internal sealed class TrackClock
{
    private bool _anchored;
    private bool _senderAnchored;
    private uint _ssrc;
    private uint _lastRaw;
    private long _lastExtended;
    private long _anchorRtp;
    private TimeSpan _anchorTime;
    private long _previousExtended;

    /// <summary>How far after the sender-anchored timeline frames are still placed (never negative).</summary>
    private TimeSpan _lag;

    /// <summary>A quarter of each frame's step is taken back while lagging: spacing stays positive, so order is kept.</summary>
    private const int CatchUpDivisor = 4;

    public TimeSpan Map(uint ssrc, uint rtpTimestamp, int clockRate, DateTimeOffset? senderTime, TimeSpan arrival, DateTimeOffset recordingStart, ParticipantClock participant)
    {
        long extended = Unwrap(ssrc, rtpTimestamp);
        int rate = Math.Max(1, clockRate);
        if (_lag > TimeSpan.Zero && extended > _previousExtended)
        {
            TimeSpan step = TimeSpan.FromSeconds((double)(extended - _previousExtended) / rate);
            _lag -= TimeSpan.FromTicks(Math.Min(_lag.Ticks, step.Ticks / CatchUpDivisor));
        }
        if (senderTime is { } sent && !_senderAnchored)
        {
            TimeSpan? continued = _anchored ? _anchorTime + _lag + TimeSpan.FromSeconds((double)(extended - _anchorRtp) / rate) : null;
            participant.SenderOffset ??= recordingStart + arrival - sent;
            _anchorRtp = extended;
            _anchorTime = sent + participant.SenderOffset.Value - recordingStart;
            _anchored = _senderAnchored = true;
            _lag = continued is { } c && c > _anchorTime ? c - _anchorTime : TimeSpan.Zero;
        }
        else if (!_anchored)
        {
            _anchorRtp = extended;
            _anchorTime = arrival;
            _anchored = true;
            _lag = TimeSpan.Zero;
        }
        _previousExtended = extended;
        TimeSpan at = _anchorTime + _lag + TimeSpan.FromSeconds((double)(extended - _anchorRtp) / rate);
        return at < TimeSpan.Zero ? TimeSpan.Zero : at;
    }

    /// <summary>RTP timestamps wrap at 2^32 (RFC 3550 §5.1); the signed difference to the last one extends them.</summary>
    private long Unwrap(uint ssrc, uint raw)
    {
        if (!_anchored || ssrc != _ssrc)
        {
            _anchored = _senderAnchored = false;
            _ssrc = ssrc;
            _lastRaw = raw;
            _lastExtended = raw;
            return raw;
        }
        _lastExtended += (int)(raw - _lastRaw);
        _lastRaw = raw;
        return _lastExtended;
    }
}
