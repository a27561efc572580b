using System.Diagnostics.Metrics;
using System.Globalization;
using Callbridge.Ice;

namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>
/// How long the bridge's ICE receive threads left datagrams in their sockets (<see cref="IceAgent.SocketWaitInstrument"/>),
/// counted while <see cref="Enabled"/> is set. Long waits mean a receive thread waited for a CPU; a track that
/// stalls while its datagrams waited briefly was late before it reached the bridge (its sender or the SFU).
/// Mostly the rooms' subscriptions: the calls' own connections receive only RTCP and checks.
/// </summary>
internal sealed class SocketWaitSampler : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _count, _over20, _over50, _over100, _longestMicroseconds;

    public SocketWaitSampler()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == IceAgent.MeterName && instrument.Name == IceAgent.SocketWaitInstrument)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, milliseconds, _, _) => Add(milliseconds));
        _listener.Start();
    }

    public volatile bool Enabled;

    private void Add(double milliseconds)
    {
        if (!Enabled)
        {
            return;
        }

        Interlocked.Increment(ref _count);
        if (milliseconds >= 20)
        {
            Interlocked.Increment(ref _over20);
        }

        if (milliseconds >= 50)
        {
            Interlocked.Increment(ref _over50);
        }

        if (milliseconds >= 100)
        {
            Interlocked.Increment(ref _over100);
        }

        long microseconds = (long)(milliseconds * 1000);
        long longest = Volatile.Read(ref _longestMicroseconds);
        while (microseconds > longest)
        {
            long seen = Interlocked.CompareExchange(ref _longestMicroseconds, microseconds, longest);
            if (seen == longest)
            {
                break;
            }

            longest = seen;
        }
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{_count} datagrams taken one at a time; waited in the socket 20 ms or more {_over20}, 50 ms or more {_over50}, 100 ms or more {_over100}; longest {_longestMicroseconds / 1000.0:F0} ms");

    public void Dispose() => _listener.Dispose();
}
