using System.Globalization;
using System.Text;

namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>
/// Delays in milliseconds: how many were seen, how many reached each threshold, and the longest. Not
/// thread-safe: one thread adds, or the owner locks.
/// </summary>
internal sealed class DelayTally(params int[] thresholds)
{
    private readonly long[] _reached = new long[thresholds.Length];
    private long _count;
    private double _longest;

    public void Add(double milliseconds)
    {
        _count++;
        for (int i = 0; i < thresholds.Length; i++)
        {
            _reached[i] += milliseconds >= thresholds[i] ? 1 : 0;
        }

        _longest = Math.Max(_longest, milliseconds);
    }

    public void Reset()
    {
        _count = 0;
        Array.Clear(_reached);
        _longest = 0;
    }

    /// <summary>"<c>{count} {counted}; {delayed} 40 ms or more 3, 60 ms or more 1; longest 71 ms</c>".</summary>
    public string Describe(string counted, string delayed)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{_count} {counted}; {delayed}");
        for (int i = 0; i < thresholds.Length; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? " " : ", ")}{thresholds[i]} ms or more {_reached[i]}");
        }

        return text.Append(CultureInfo.InvariantCulture, $"; longest {_longest:F0} ms").ToString();
    }
}
