namespace Callbridge.PhoneMedia;

/// <summary>
/// Turns RFC 4733 telephone-event packets into digits reported once each (§2.5.2). An event is
/// identified by its RTP timestamp and code; its end is the first packet with E set, and the two
/// redundant end retransmissions (§2.5.1.4) that follow are dropped. A marker bit after an ended event
/// starts a new one even at the same timestamp (recorded pcaps replayed back to back do that).
/// An event whose end packets were all lost is reported when the next one starts or after
/// <see cref="EndTimeout"/> without updates. Not thread-safe: the session's lock guards it.
/// </summary>
/// <remarks>Invariant: when <c>_active</c>, <c>_event</c>/<c>_timestamp</c> name the last event seen and <c>_ended</c> says whether it was reported.</remarks>
internal sealed class DtmfReceiver
{
    /// <summary>
    /// Silence after which an unfinished event is closed: senders refresh every 50 ms at most (§2.5.1.2),
    /// so 500 ms is ten lost updates in a row.
    /// </summary>
    public static readonly TimeSpan EndTimeout = TimeSpan.FromMilliseconds(500);

    private readonly int _clockRate;
    private readonly long _endTimeoutTicks;
    private bool _active;
    private bool _ended;
    private byte _event;
    private uint _timestamp;
    private ushort _duration;
    private long _lastPacketAt;

    public DtmfReceiver(TimeProvider time, int clockRate = 8000)
    {
        _clockRate = clockRate;
        _endTimeoutTicks = (long)(EndTimeout.TotalSeconds * time.TimestampFrequency);
    }

    public long Packets { get; private set; }

    public long Duplicates { get; private set; }

    /// <summary>
    /// Handles one telephone-event payload. Writes up to two completed digits (a previous event closed by
    /// this one's start, then this one if it already ended) into <paramref name="digits"/>; returns how many.
    /// </summary>
    public int OnPacket(ReadOnlySpan<byte> payload, uint rtpTimestamp, bool marker, long now, Span<DtmfDigit> digits)
    {
        if (TelephoneEvent.TryParse(payload, out TelephoneEvent e, out _) != TelephoneEventParseError.None
            || !DtmfEvents.TryGetDigit(e.Event, out _))
        {
            // Not a DTMF event (tones and line events 16-255 have no key to report).
            return 0;
        }

        Packets++;
        int count = 0;
        bool isNew = !_active || rtpTimestamp != _timestamp || e.Event != _event || (_ended && marker);
        if (isNew)
        {
            if (_active && !_ended)
            {
                digits[count++] = Close();
            }

            _active = true;
            _ended = false;
            _event = e.Event;
            _timestamp = rtpTimestamp;
            _duration = e.Duration;
        }
        else if (_ended)
        {
            Duplicates++;
            return 0;
        }
        else if (e.Duration > _duration)
        {
            _duration = e.Duration;
        }

        _lastPacketAt = now;
        if (e.End)
        {
            _duration = Math.Max(_duration, e.Duration);
            digits[count++] = Close();
        }

        return count;
    }

    /// <summary>Closes an event whose end never came; true with the digit when it timed out at <paramref name="now"/>.</summary>
    public bool TryExpire(long now, out DtmfDigit digit)
    {
        if (_active && !_ended && now - _lastPacketAt >= _endTimeoutTicks)
        {
            digit = Close();
            return true;
        }

        digit = default;
        return false;
    }

    private DtmfDigit Close()
    {
        _ended = true;
        DtmfEvents.TryGetDigit(_event, out char c);
        return new DtmfDigit(c, TimeSpan.FromSeconds((double)_duration / _clockRate), DtmfSource.Rfc4733);
    }
}
