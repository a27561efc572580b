namespace Callbridge.Rtp;

/// <summary>
/// Extends 32-bit RTP timestamps to 64 bits. Invariant: <c>_last</c> is the extension of the most recent
/// newest input; each input is placed within ±2^31 of it.
/// </summary>
public struct TimestampUnwrapper
{
    private long _last;
    private bool _started;

    public long Unwrap(uint timestamp)
    {
        if (!_started)
        {
            _started = true;
            _last = timestamp;
            return timestamp;
        }

        long value = _last + SequenceNumbers.TimestampDistance((uint)_last, timestamp);
        if (value > _last)
        {
            _last = value;
        }

        return value;
    }
}
