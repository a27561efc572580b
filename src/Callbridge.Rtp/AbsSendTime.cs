namespace Callbridge.Rtp;

/// <summary>
/// abs-send-time (webrtc.org/experiments/rtp-hdrext/abs-send-time): 24-bit 6.18 fixed-point seconds,
/// the middle bits of the 64-bit NTP send time; wraps every 64 s.
/// </summary>
public readonly record struct AbsSendTime(uint Value)
{
    public const string Uri = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";

    public const int SerializedLength = 3;

    /// <summary>Units per second of the 18-bit fraction.</summary>
    public const int TicksPerSecond = 1 << 18;

    /// <summary>Takes bits 14..37 of a 32.32 NTP timestamp (6 integer bits, 18 fraction bits).</summary>
    public static AbsSendTime FromNtp(ulong ntpTimestamp) => new((uint)(ntpTimestamp >> 14) & 0xFFFFFF);

    /// <summary>Time within the 64-second cycle.</summary>
    public TimeSpan ToTimeSpan() => TimeSpan.FromTicks((long)Value * TimeSpan.TicksPerSecond / TicksPerSecond);

    public static bool TryParse(ReadOnlySpan<byte> value, out AbsSendTime time)
    {
        if (value.Length < SerializedLength)
        {
            time = default;
            return false;
        }

        time = new AbsSendTime((uint)(value[0] << 16 | value[1] << 8 | value[2]));
        return true;
    }

    public int WriteTo(Span<byte> destination)
    {
        destination[0] = (byte)(Value >> 16);
        destination[1] = (byte)(Value >> 8);
        destination[2] = (byte)Value;
        return SerializedLength;
    }
}
