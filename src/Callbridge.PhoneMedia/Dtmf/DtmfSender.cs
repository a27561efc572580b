namespace Callbridge.PhoneMedia;

/// <summary>
/// Plays queued digits as RFC 4733 events, one packet per 20 ms tick of the session: a start packet
/// with the marker bit (§2.5.1.2), continuations with a growing duration, then the end packet three
/// times (§2.5.1.4), all at the event's start timestamp; then a short pause before the next digit.
/// Not thread-safe: the session's lock guards it.
/// </summary>
internal sealed class DtmfSender
{
    /// <summary>Copies of the final packet (§2.5.1.4 asks for three in total).</summary>
    public const int EndPackets = 3;

    /// <summary>Ticks of plain audio between digits: 40 ms, the Q.24 minimum pause receivers accept.</summary>
    private const int GapTicks = 2;

    private readonly Queue<(byte Event, int Duration)> _queue = new();
    private readonly int _samplesPerTick;
    private bool _playing;
    private byte _event;
    private int _target;
    private int _elapsed;
    private int _endsSent;
    private uint _timestamp;
    private int _gap;

    public DtmfSender(int samplesPerTick) => _samplesPerTick = samplesPerTick;

    /// <summary>Nothing playing, queued, or pausing.</summary>
    public bool IsIdle => !_playing && _queue.Count == 0 && _gap == 0;

    public long EventsSent { get; private set; }

    public void Enqueue(byte eventCode, int durationSamples) =>
        _queue.Enqueue((eventCode, Math.Max(_samplesPerTick, durationSamples)));

    public void Clear()
    {
        _queue.Clear();
        _playing = false;
        _gap = 0;
    }

    /// <summary>
    /// The event packet for the tick whose audio timestamp is <paramref name="tickTimestamp"/>; false when
    /// the tick carries audio. <paramref name="timestamp"/> is the event's start timestamp.
    /// </summary>
    public bool TryNext(uint tickTimestamp, Span<byte> payload, out bool marker, out uint timestamp)
    {
        marker = false;
        timestamp = tickTimestamp;
        if (!_playing)
        {
            if (_gap > 0)
            {
                _gap--;
                return false;
            }

            if (!_queue.TryDequeue(out (byte Event, int Duration) next))
            {
                return false;
            }

            _playing = true;
            _event = next.Event;
            _target = next.Duration;
            _elapsed = 0;
            _endsSent = 0;
            _timestamp = tickTimestamp;
            marker = true;
        }

        timestamp = _timestamp;
        if (_endsSent == 0 && _elapsed + _samplesPerTick < _target)
        {
            _elapsed += _samplesPerTick;
            Write(payload, end: false, _elapsed);
            return true;
        }

        _elapsed = Math.Min(_elapsed + (_endsSent == 0 ? _samplesPerTick : 0), ushort.MaxValue);
        Write(payload, end: true, _elapsed);
        if (++_endsSent == EndPackets)
        {
            _playing = false;
            _gap = GapTicks;
            EventsSent++;
        }

        return true;
    }

    private void Write(Span<byte> payload, bool end, int duration) =>
        // Volume 10 (-10 dBm0): the level the RFC 4733 examples use, well inside Q.24's accepted range.
        new TelephoneEvent(_event, end, 10, (ushort)duration).WriteTo(payload);
}
