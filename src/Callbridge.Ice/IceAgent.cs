using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;

namespace Callbridge.Ice;

/// <summary>
/// A full ICE agent (RFC 8445) for one component over UDP host candidates, with consent freshness
/// (RFC 7675) and restart. It owns its sockets: STUN is handled inside, other datagrams go to the
/// <see cref="IceDatagramHandler"/>, and <see cref="TrySend"/> sends on the selected pair.
/// Every state change happens on one loop fed by a single-reader channel; public methods only post to it.
/// </summary>
public sealed partial class IceAgent : IAsyncDisposable
{
    private readonly IceAgentOptions _options;
    private readonly TimeProvider _time;
    private readonly IceDatagramHandler? _onDatagram;
    private readonly Channel<IceAgentEvent> _events =
        Channel.CreateUnbounded<IceAgentEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly ulong _tieBreaker;
    private readonly List<LocalBase> _bases = [];
    private readonly List<Task> _receivers = [];
    private ITimer? _timer;
    private Task? _loop;

    // Read from any thread, written by the loop.
    private volatile IceCredentials _localCredentials;
    private volatile IceSelectedPair? _selectedPair;
    private volatile SendPath? _sendPath;
    private volatile SendPath[] _validPaths = [];
    private volatile int _state = (int)IceConnectionState.New;
    private volatile int _role;
    private long _receiveWakes;

    public IceAgent(IceAgentOptions options, IceDatagramHandler? onDatagram = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = options.TimeProvider;
        _onDatagram = onDatagram;
        _localCredentials = options.LocalCredentials ?? IceCredentials.Generate();
        _loopLocal = _localCredentials;
        _localKey = Encoding.UTF8.GetBytes(_localCredentials.Password);
        _role = (int)options.InitialRole;
        _tieBreaker = options.TieBreaker ?? BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    }

    /// <summary>Raised on the agent's loop; handlers must return quickly.</summary>
    public event Action<IceConnectionState>? StateChanged;

    public IceConnectionState State => (IceConnectionState)_state;

    public IceRole Role => (IceRole)_role;

    public ulong TieBreaker => _tieBreaker;

    /// <summary>Times the receive threads woke to take datagrams: once per datagram, or once per batch while traffic is dense.</summary>
    public long ReceiveWakes => Interlocked.Read(ref _receiveWakes);

    public IceCredentials LocalCredentials => _localCredentials;

    public IReadOnlyList<IceCandidate> LocalCandidates => _bases.ConvertAll(b => b.Candidate);

    /// <summary>The pair media is sent on, or null before nomination and after consent expiry.</summary>
    public IceSelectedPair? SelectedPair => _selectedPair;

    /// <summary>Binds host candidates and starts the loop and the check timer. Call once.</summary>
    public IReadOnlyList<IceCandidate> Start()
    {
        if (_loop is not null)
        {
            throw new InvalidOperationException("The agent is already started.");
        }

        GatherHostCandidates();
        _loop = Task.Run(RunLoopAsync);
        foreach (LocalBase local in _bases)
        {
            _receivers.Add(Task.Factory.StartNew(() => ReceiveLoop(local), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default));
        }

        _timer = _time.CreateTimer(static s => ((IceAgent)s!).Post(IceAgentEvent.Tick.Instance), this,
            _options.CheckInterval, _options.CheckInterval);
        return LocalCandidates;
    }

    /// <summary>The peer's ice-ufrag/ice-pwd. New values while checking mean the peer restarted ICE.</summary>
    public void SetRemoteCredentials(IceCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        Post(new IceAgentEvent.RemoteCredentials(credentials));
    }

    /// <summary>A candidate from signalling (trickled or from the description).</summary>
    public void AddRemoteCandidate(IceCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        Post(new IceAgentEvent.RemoteCandidateAdded(candidate));
    }

    /// <summary>
    /// ICE restart (RFC 8445 §9): new local credentials and a new check list; the old pair keeps carrying
    /// media until a new one is selected. Signal the returned credentials to the peer. When we initiate,
    /// the peer's old credentials and candidates are dropped (its answer brings new ones); when the peer
    /// initiated (new remote credentials were set since the last restart), those are kept.
    /// </summary>
    public IceCredentials Restart()
    {
        var fresh = IceCredentials.Generate();
        _localCredentials = fresh;
        Post(new IceAgentEvent.Restart(fresh));
        return fresh;
    }

    /// <summary>
    /// What the agent did so far (check list, counts, the peer's requests and our answers), taken on its loop;
    /// after disposal, the last state as it was left.
    /// </summary>
    public Task<IceDiagnostics> GetDiagnosticsAsync()
    {
        var request = new IceAgentEvent.Diagnose();
        return _events.Writer.TryWrite(request) ? request.Result.Task : AfterLoopAsync();

        // The loop drains what was queued before it stops; its state is read only once it has.
        async Task<IceDiagnostics> AfterLoopAsync()
        {
            if (_loop is { } loop)
            {
                await loop.ConfigureAwait(false);
            }

            return BuildDiagnostics();
        }
    }

    /// <summary>Sends one datagram on the selected pair without allocating; false when there is none.</summary>
    public bool TrySend(ReadOnlySpan<byte> datagram)
    {
        SendPath? path = _sendPath;
        if (path is null)
        {
            return false;
        }

        try
        {
            return path.Socket.SendTo(datagram, System.Net.Sockets.SocketFlags.None, path.Address) == datagram.Length;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        _events.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        foreach (LocalBase local in _bases)
        {
            local.Socket.Dispose();
        }

        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        await Task.WhenAll(_receivers).ConfigureAwait(false);
        _sendPath = null;
        SetState(IceConnectionState.Closed);
        _stop.Dispose();
    }

    private void Post(IceAgentEvent e) => _events.Writer.TryWrite(e);

    private async Task RunLoopAsync()
    {
        ChannelReader<IceAgentEvent> reader = _events.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out IceAgentEvent? e))
            {
                Handle(e);
            }
        }
    }

    private void SetState(IceConnectionState state)
    {
        if (_state == (int)state || _state == (int)IceConnectionState.Closed)
        {
            return;
        }

        _state = (int)state;
        StateChanged?.Invoke(state);
    }
}
