namespace Callbridge.Media;

/// <summary>What <see cref="JitterBuffer.Insert"/> did with a packet.</summary>
public enum JitterInsertResult
{
    /// <summary>Stored; it will be released in order.</summary>
    Inserted = 0,
    /// <summary>Same sequence number is already held: dropped.</summary>
    Duplicate,
    /// <summary>Its sequence number was already released or given up on: dropped.</summary>
    Late,
    /// <summary>Larger than <see cref="JitterBufferOptions.MaxPacketSize"/>: dropped.</summary>
    TooLarge,
    /// <summary>Not an RTP packet (shorter than the fixed header): dropped.</summary>
    Invalid,
    /// <summary>
    /// So far ahead of the window that the source must have restarted or jumped: the held packets were
    /// discarded and the buffer restarted at this packet, which was stored.
    /// </summary>
    Restarted,
}
