using System.Diagnostics.Metrics;
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
    private readonly Lock _gate = new();
    private readonly DelayTally _tally = new(20, 50, 100);

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

    // A few thousand datagrams a second, from many receive threads: one uncontended lock each is cheap enough.
    private void Add(double milliseconds)
    {
        if (!Enabled)
        {
            return;
        }

        lock (_gate)
        {
            _tally.Add(milliseconds);
        }
    }

    public string Describe()
    {
        lock (_gate)
        {
            return _tally.Describe("datagrams taken one at a time", "waited in the socket");
        }
    }

    public void Dispose() => _listener.Dispose();
}
