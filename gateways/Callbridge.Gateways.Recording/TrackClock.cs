namespace Callbridge.Gateways.Recording;

/// <summary>
/// One participant's sender clock against ours: the smallest difference any of its tracks has seen between a
/// frame's arrival (our clock) and its sender time (RFC 3550 §6.4.1), over the tracks that have a sender
/// mapping. The smallest is the least-delayed frame (RFC 3550 §A.8 estimates transit the same way): a frame
/// can be late, never early. Every track of the participant uses it, so its audio and video keep the sync
/// the sender reports give them. Loop-owned: not thread-safe.
/// </summary>
internal sealed class ParticipantClock
{
    private readonly List<TrackClock> _tracks = [];

    public void Add(TrackClock track) => _tracks.Add(track);

    /// <summary>Our track time less the sender time (in track time), for the least-delayed frame seen; null before any sender time.</summary>
    public TimeSpan? SenderOffset
    {
        get
        {
            TimeSpan? offset = null;
            foreach (TrackClock track in _tracks)
            {
                if (track.SenderTransit is { } transit && (offset is null || transit < offset)) offset = transit;
            }
            return offset;
        }
    }
}

/// <summary>
/// Places a track's frames. Within a stream (one SSRC) the RTP clock is the timeline: frames keep exactly the
/// spacing the sender gave them, so the file holds the stream with its first frame at its arrival and every
/// later one at its RTP distance from it. Where the stream really belongs on the recording's timeline is
/// estimated as the frames come and can only get better, so it is kept apart as a shift of the whole file
/// (<see cref="Shift"/>, applied when the recording is finished) rather than written into frames already on disk:
/// <list type="bullet">
/// <item>by arrival: the smallest arrival less RTP time seen (the least-delayed frame). A backlog delivered at
/// once as a subscription starts, or a stalled receive loop, delays frames and so never sets it.</item>
/// <item>with sender reports: the earliest sender time less RTP time seen (a report's RTP/NTP pair can be taken
/// late, e.g. an SFU that writes its own reports from the send time of its last forwarded packet, never early),
/// plus the participant's <see cref="ParticipantClock.SenderOffset"/>. This holds whatever the sender's clock
/// reads: the offset is measured, not assumed, so a sender whose wall clock differs from ours by hours is placed
/// as well as one on the same host.</item>
/// </list>
/// A new SSRC starts a new stream: it is placed after what is written, at its own arrival less the shift so far.
/// Loop-owned: not thread-safe.
/// </summary>
internal sealed class TrackClock
{
    private bool _started;
    private uint _ssrc;
    private uint _lastRaw;
    private long _lastExtended;
    private int _rate = 1;
    private TimeSpan _streamFile;
    private TimeSpan _lastFile;
    private TimeSpan _arrivalLessRtp;
    private TimeSpan? _senderLessRtp;
    private bool _firstStream = true;
    private TimeSpan _frozenShift;

    /// <summary>The smallest arrival less sender time of this stream, once it has a sender mapping.</summary>
    public TimeSpan? SenderTransit => _senderLessRtp is { } sender ? _arrivalLessRtp - sender : null;

    public TrackClock(ParticipantClock participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        participant.Add(this);
    }

    /// <summary>Where frames written so far belong: add to their file time (negative: earlier than written).</summary>
    public TimeSpan Shift(ParticipantClock participant) => _firstStream ? CurrentShift(participant) : _frozenShift;

    /// <summary>How far the sender reports move this stream from its least-delayed arrival (negative: earlier); null without reports.</summary>
    public TimeSpan? SenderLessArrival(ParticipantClock participant) =>
        _senderLessRtp is { } sender && participant.SenderOffset is { } offset ? sender + offset - _arrivalLessRtp : null;

    /// <summary>File time of a frame (time since the recording started, before <see cref="Shift"/>).</summary>
    /// <param name="arrival">When the frame arrived, in track time.</param>
    /// <param name="recordingStart">Wall-clock time of track time zero, to read sender times against.</param>
    public TimeSpan Map(uint ssrc, uint rtpTimestamp, int clockRate, DateTimeOffset? senderTime, TimeSpan arrival, DateTimeOffset recordingStart, ParticipantClock participant)
    {
        ArgumentNullException.ThrowIfNull(participant);
        if (!_started || ssrc != _ssrc)
        {
            TimeSpan start;
            if (!_started)
            {
                start = arrival < TimeSpan.Zero ? TimeSpan.Zero : arrival;
            }
            else
            {
                // A new stream in the same file: after what is written, where it arrived less the file's shift.
                _frozenShift = Shift(participant);
                _firstStream = false;
                start = arrival - _frozenShift;
                if (start <= _lastFile) start = _lastFile + TimeSpan.FromMilliseconds(1);
            }
            _started = true;
            _ssrc = ssrc;
            _lastRaw = rtpTimestamp;
            _lastExtended = 0; // RTP time is counted from the stream's first frame
            _rate = Math.Max(1, clockRate);
            _streamFile = start;
            _arrivalLessRtp = arrival;
            _senderLessRtp = null;
        }
        else
        {
            // RTP timestamps wrap at 2^32 (RFC 3550 §5.1); the signed difference to the last one extends them.
            _lastExtended += (int)(rtpTimestamp - _lastRaw);
            _lastRaw = rtpTimestamp;
        }
        TimeSpan sinceStart = RtpTime(_lastExtended);
        if (arrival - sinceStart < _arrivalLessRtp) _arrivalLessRtp = arrival - sinceStart;
        if (senderTime is { } sent)
        {
            TimeSpan senderLessRtp = sent - recordingStart - sinceStart;
            if (_senderLessRtp is null || senderLessRtp < _senderLessRtp) _senderLessRtp = senderLessRtp;
        }
        TimeSpan at = _streamFile + sinceStart;
        if (at > _lastFile) _lastFile = at;
        Stats.Observe(_lastExtended, _rate, senderTime, arrival, recordingStart, at);
        return at;
    }

    /// <summary>The terms that placed this track, for the log at the end of a recording.</summary>
    public TrackClockStats Stats;

    private TimeSpan CurrentShift(ParticipantClock participant)
    {
        if (!_started) return TimeSpan.Zero;
        TimeSpan placed = _senderLessRtp is { } sender && participant.SenderOffset is { } offset ? sender + offset : _arrivalLessRtp;
        return placed - _streamFile;
    }

    private TimeSpan RtpTime(long ticksOfRate) => TimeSpan.FromTicks(ticksOfRate * TimeSpan.TicksPerSecond / _rate);
}

/// <summary>
/// What placed one track on the timeline: its arrivals, its sender times (transit = our wall clock at arrival
/// less the sender time; one host's clocks make it the real path delay from the sender report's reference),
/// how far the reports' mapping moved, and file time less arrival. Loop-owned.
/// </summary>
internal struct TrackClockStats
{
    public long Frames;
    public TimeSpan FirstArrival;
    public TimeSpan FirstPlaced;
    public long SenderFrames;
    public TimeSpan FirstSenderArrival;
    public TimeSpan FirstTransit;
    public TimeSpan MinTransit;
    public TimeSpan MinTransitArrival;
    public TimeSpan MaxTransit;
    public TimeSpan LastTransit;
    public DateTimeOffset FirstBase;
    public TimeSpan MinBase;
    public TimeSpan MaxBase;
    public TimeSpan MinLead;
    public TimeSpan MaxLead;
    public TimeSpan LastLead;

    public void Observe(long extended, int rate, DateTimeOffset? senderTime, TimeSpan arrival, DateTimeOffset recordingStart, TimeSpan placed)
    {
        TimeSpan lead = placed - arrival;
        if (Frames++ == 0)
        {
            FirstArrival = arrival;
            FirstPlaced = placed;
            MinLead = MaxLead = lead;
        }
        MinLead = lead < MinLead ? lead : MinLead;
        MaxLead = lead > MaxLead ? lead : MaxLead;
        LastLead = lead;
        if (senderTime is not { } sent) return;
        TimeSpan transit = recordingStart + arrival - sent;
        // Sender time of RTP time zero: constant while the reports agree, moving when one maps differently.
        DateTimeOffset reportBase = sent - TimeSpan.FromSeconds((double)extended / rate);
        if (SenderFrames++ == 0)
        {
            FirstSenderArrival = arrival;
            FirstTransit = MinTransit = MaxTransit = transit;
            MinTransitArrival = arrival;
            FirstBase = reportBase;
        }
        if (transit < MinTransit)
        {
            MinTransit = transit;
            MinTransitArrival = arrival;
        }
        MaxTransit = transit > MaxTransit ? transit : MaxTransit;
        LastTransit = transit;
        TimeSpan moved = reportBase - FirstBase;
        MinBase = moved < MinBase ? moved : MinBase;
        MaxBase = moved > MaxBase ? moved : MaxBase;
    }

    public readonly string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Frames} frames, first arrived {FirstArrival.TotalSeconds:F3} s, written at {FirstPlaced.TotalSeconds:F3} s; "
        + $"sender times from {FirstSenderArrival.TotalSeconds:F3} s ({SenderFrames} frames): transit first {Ms(FirstTransit)} min {Ms(MinTransit)} "
        + $"(at {MinTransitArrival.TotalSeconds:F3} s) max {Ms(MaxTransit)} last {Ms(LastTransit)} ms; report mapping moved {Ms(MinBase)}..{Ms(MaxBase)} ms; "
        + $"file time - arrival min {Ms(MinLead)} max {Ms(MaxLead)} last {Ms(LastLead)} ms");

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("F0", System.Globalization.CultureInfo.InvariantCulture);
}
