namespace Callbridge.Rtcp.Tests;

/// <summary>A clock the test moves by hand; timestamps in 100 ns ticks unless another frequency is given.</summary>
internal sealed class ManualTimeProvider(long frequency = TimeSpan.TicksPerSecond) : TimeProvider
{
    private long _ticks = frequency * 86400;
    private DateTimeOffset _utc = new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => frequency;

    public override long GetTimestamp() => _ticks;

    public override DateTimeOffset GetUtcNow() => _utc;

    public void Advance(TimeSpan by)
    {
        _ticks += (long)(by.TotalSeconds * frequency);
        _utc += by;
    }
}
