namespace Callbridge.Rtp;

/// <summary>
/// Extends 16-bit sequence numbers to a 64-bit counter.
/// Invariant: once started, <c>_highest</c> is the extension of the newest input seen; each input is
/// placed at the extension nearest to it (within -32768..+32767). The first input keeps its own value,
/// so a packet older than the first one may come out negative; the low 32 bits of a non-negative value
/// are RFC 3550's extended sequence number (cycles &lt;&lt; 16 | seq).
/// </summary>
public struct SequenceUnwrapper
{
    private long _highest;
    private bool _started;

    public readonly bool HasStarted => _started;

    /// <summary>Extended value of the newest input so far.</summary>
    public readonly long Highest => _highest;

    /// <summary>Returns the extended value of <paramref name="sequenceNumber"/>, advancing <see cref="Highest"/> when newer.</summary>
    public long Unwrap(ushort sequenceNumber)
    {
        long value = Peek(sequenceNumber);
        if (!_started || value > _highest)
        {
            _highest = value;
            _started = true;
        }

        return value;
    }

    /// <summary>Extended value without updating the state.</summary>
    public readonly long Peek(ushort sequenceNumber) =>
        _started ? _highest + SequenceNumbers.Distance((ushort)_highest, sequenceNumber) : sequenceNumber;
}
