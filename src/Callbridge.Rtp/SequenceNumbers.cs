namespace Callbridge.Rtp;

/// <summary>Wrap-aware 16-bit RTP sequence number arithmetic (RFC 3550 §A.1 / RFC 1982 serial numbers).</summary>
public static class SequenceNumbers
{
    /// <summary>Signed distance from <paramref name="from"/> to <paramref name="to"/>, in -32768..32767.</summary>
    public static int Distance(ushort from, ushort to) => (short)(ushort)(to - from);

    /// <summary>True when <paramref name="a"/> comes after <paramref name="b"/> (within half the space).</summary>
    public static bool IsNewer(ushort a, ushort b) => Distance(b, a) > 0;

    /// <summary>Signed distance between 32-bit RTP timestamps, wrap-aware.</summary>
    public static long TimestampDistance(uint from, uint to) => (int)(to - from);
}
