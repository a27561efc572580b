namespace Callbridge.Speech.Whisper;

/// <summary>
/// Keeps one worker process running: starts it, pings it every <see cref="WhisperOptions.HealthCheckInterval"/>
/// (a missed answer kills it), and starts a new one when it ends. Decoders see the new worker through
/// <see cref="Current"/> / <see cref="GetWorkerAsync"/> and re-feed what it has not heard.
/// Invariant: at most one start is in flight (<c>_starting</c>), and <c>_current</c> only moves forward.
/// </summary>
internal sealed class WhisperWorkerHost : IAsyncDisposable
{
    private readonly WhisperOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _healthTimer;
    private WhisperWorkerProcess _current;
    private Task<WhisperWorkerProcess>? _starting;
    private WhisperEngineException? _fault;
    private int _generation;
    private int _restarts;
    private int _healthBusy;
    private bool _disposed;

    private WhisperWorkerHost(WhisperOptions options, TimeProvider time, WhisperWorkerProcess first)
    {
        _options = options;
        _time = time;
        _current = first;
        _generation = first.Generation;
        Watch(first);
        _healthTimer = time.CreateTimer(_ => _ = HealthCheckAsync(), null, options.HealthCheckInterval, options.HealthCheckInterval);
    }

    /// <summary>Workers started after the first one.</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>A fault no restart can help (model or installation gone), or null.</summary>
    public WhisperEngineException? Fault
    {
        get
        {
            lock (_lock)
            {
                return _fault;
            }
        }
    }

    /// <summary>The live worker, or null while a replacement starts.</summary>
    public WhisperWorkerProcess? Current
    {
        get
        {
            lock (_lock)
            {
                return _current.IsAlive ? _current : null;
            }
        }
    }

    public static async Task<WhisperWorkerHost> StartAsync(WhisperOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        WhisperWorkerProcess first = await WhisperWorkerProcess.StartAsync(options, 1, time, cancellationToken).ConfigureAwait(false);
        return new WhisperWorkerHost(options, time, first);
    }

    /// <summary>The live worker, waiting for a restart when needed; throws when restarting cannot succeed.</summary>
    public async Task<WhisperWorkerProcess> GetWorkerAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            Task<WhisperWorkerProcess> starting;
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_fault is not null)
                {
                    throw _fault;
                }

                if (_current.IsAlive)
                {
                    return _current;
                }

                starting = _starting ??= RestartAsync(_current);
            }

            try
            {
                return await starting.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (WhisperEngineException ex) when (!ex.IsConfigurationError && attempt + 1 < _options.MaxAttempts)
            {
                // A worker that died while starting: try another.
            }
        }
    }

    private async Task<WhisperWorkerProcess> RestartAsync(WhisperWorkerProcess dead)
    {
        await Task.Yield();
        try
        {
            await dead.DisposeAsync().ConfigureAwait(false);
            int generation = Interlocked.Increment(ref _generation);
            WhisperWorkerProcess next = await WhisperWorkerProcess.StartAsync(_options, generation, _time, _stop.Token).ConfigureAwait(false);
            lock (_lock)
            {
                if (_disposed)
                {
                    _starting = null;
                    _ = next.DisposeAsync().AsTask();
                    throw new ObjectDisposedException(nameof(WhisperWorkerHost));
                }

                _current = next;
                _starting = null;
            }

            Interlocked.Increment(ref _restarts);
            Watch(next);
            return next;
        }
        catch (WhisperEngineException ex)
        {
            lock (_lock)
            {
                _starting = null;
                if (ex.IsConfigurationError)
                {
                    // The model or the installation changed under us: no restart can help.
                    _fault = ex;
                }
            }

            throw;
        }
    }

    /// <summary>Starts the replacement as soon as a worker ends, so the next utterance does not wait for it.</summary>
    private void Watch(WhisperWorkerProcess worker)
    {
        _ = worker.Exited.ContinueWith(exited =>
        {
            Task<WhisperWorkerProcess> starting;
            lock (_lock)
            {
                if (_disposed || _fault is not null || _current != worker || _starting is not null)
                {
                    return;
                }

                starting = _starting = RestartAsync(worker);
            }

            // Failures are seen by the next GetWorkerAsync; observe them here so none goes unobserved.
            _ = starting.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    private async Task HealthCheckAsync()
    {
        if (Interlocked.Exchange(ref _healthBusy, 1) != 0)
        {
            return;
        }

        try
        {
            WhisperWorkerProcess? worker = Current;
            if (worker is null)
            {
                return;
            }

            try
            {
                await worker.RequestAsync(w => w.WriteString("op", "ping"), _options.HealthCheckTimeout, _stop.Token).ConfigureAwait(false);
            }
            catch (WhisperEngineException ex) when (ex.Error == WhisperEngineError.Timeout)
            {
                // Hung (a stuck native call, a stopped process): the exit starts a replacement.
                worker.Kill();
            }
            catch (WhisperEngineException)
            {
                // Already exited; Watch restarts it.
            }
            catch (OperationCanceledException)
            {
            }
        }
        finally
        {
            Volatile.Write(ref _healthBusy, 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<WhisperWorkerProcess>? starting;
        WhisperWorkerProcess current;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            starting = _starting;
            current = _current;
        }

        await _healthTimer.DisposeAsync().ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        if (starting is not null)
        {
            try
            {
                await starting.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Disposal wins over a restart in flight.
            }
        }

        await current.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }
}
