using System.Buffers;
using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Callbridge.Speech.Whisper.Protocol;

namespace Callbridge.Speech.Whisper;

/// <summary>
/// One Node worker process. Frames go to stdin through a bounded queue drained by one writer task (a full
/// queue makes <see cref="Feed"/> wait: that is the back-pressure); stdout lines complete the pending
/// requests by id; stderr keeps its last lines for error messages. When the process ends, every pending
/// request fails with <see cref="WhisperEngineError.WorkerCrashed"/> and <see cref="Exited"/> completes.
/// </summary>
internal sealed class WhisperWorkerProcess : IAsyncDisposable
{
    private const int StderrLines = 40;

    private readonly WhisperOptions _options;
    private readonly TimeProvider _time;
    private readonly Process _process;
    private readonly Channel<Frame> _send;
    // Frame buffers cycle between the feeding thread and the writer task; a pool of our own that holds
    // every buffer the bounded queue can have in flight keeps feeding allocation-free.
    private readonly ArrayPool<byte> _buffers;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<WorkerMessage>> _pending = new();
    private readonly TaskCompletionSource<WorkerMessage> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _stderr = new();
    private readonly Lock _stderrLock = new();
    private long _nextId;
    private int _dead;

    private WhisperWorkerProcess(WhisperOptions options, TimeProvider time, Process process, int generation)
    {
        _options = options;
        _time = time;
        _process = process;
        Generation = generation;
        ProcessId = process.Id;
        _buffers = ArrayPool<byte>.Create(WorkerFrame.GetSerializedLength(WorkerFrame.MaxJsonBytes, WorkerFrame.MaxPayloadBytes / sizeof(short)),
            options.SendQueueFrames + 2);
        _send = Channel.CreateBounded<Frame>(new BoundedChannelOptions(options.SendQueueFrames)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _ = Task.Run(WriteLoopAsync);
        _ = Task.Run(ReadLoopAsync);
        _ = Task.Run(StderrLoopAsync);
    }

    /// <summary>1 for the first worker of a host, then one more per restart.</summary>
    public int Generation { get; }

    public int ProcessId { get; }

    public bool IsAlive => Volatile.Read(ref _dead) == 0;

    /// <summary>Completes when the process has ended and every pending request has failed.</summary>
    public Task Exited => _exited.Task;

    public string StderrTail
    {
        get
        {
            lock (_stderrLock)
            {
                return string.Join('\n', _stderr);
            }
        }
    }

    /// <summary>
    /// Starts node on the worker script, waits for its ready line, loads the model. Configuration problems
    /// come out as typed <see cref="WhisperEngineException"/>s.
    /// </summary>
    public static async Task<WhisperWorkerProcess> StartAsync(WhisperOptions options, int generation, TimeProvider time, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(options.NodeExecutable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = Path.GetDirectoryName(Path.GetFullPath(options.WorkerScript))!,
        };
        psi.ArgumentList.Add(Path.GetFullPath(options.WorkerScript));
        if (options.NodeModulesDirectory is { Length: > 0 } modules)
        {
            psi.Environment["NODE_PATH"] = Path.GetFullPath(modules);
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new Win32Exception("Process.Start returned no process");
        }
        catch (Win32Exception ex)
        {
            throw new WhisperEngineException(WhisperEngineError.NodeMissing,
                $"Cannot start the Node program '{options.NodeExecutable}': {ex.Message}.", "Debian package nodejs", ex);
        }

        var worker = new WhisperWorkerProcess(options, time, process, generation);
        try
        {
            await worker.HandshakeAsync(cancellationToken).ConfigureAwait(false);
            return worker;
        }
        catch
        {
            await worker.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        WorkerMessage ready;
        try
        {
            ready = await _ready.Task.WaitAsync(_options.StartTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new WhisperEngineException(WhisperEngineError.Timeout,
                $"The Whisper worker did not start within {_options.StartTimeout.TotalSeconds:0.#} s. {StderrTail}", inner: ex);
        }

        if (ready.Kind == WorkerMessageKind.Fatal)
        {
            throw ready.Code == "package_missing"
                ? new WhisperEngineException(WhisperEngineError.WorkerPackageMissing,
                    $"The Whisper worker cannot load its npm package: {ready.Message}", WhisperOptions.WorkerPackages)
                : new WhisperEngineException(WhisperEngineError.WorkerCrashed, $"The Whisper worker failed to start ({ready.Code}): {ready.Message}");
        }

        WorkerMessage loaded = await RequestAsync(w =>
        {
            w.WriteString("op", "load");
            w.WriteString("model", Path.GetFullPath(_options.ModelPath));
            w.WriteNumber("threads", _options.Threads);
            w.WriteString("language", _options.Language);
            w.WriteNumber("transcribeTimeoutMs", (long)_options.TranscribeTimeout.TotalMilliseconds);
            w.WriteNumber("maxStreamSamples", _options.MaxUtteranceSamples);
        }, _options.StartTimeout, cancellationToken).ConfigureAwait(false);
        if (!loaded.Ok)
        {
            throw loaded.Code switch
            {
                "model_missing" => new WhisperEngineException(WhisperEngineError.ModelMissing, $"Whisper model file '{_options.ModelPath}' not found."),
                "model_invalid" => new WhisperEngineException(WhisperEngineError.ModelInvalid,
                    $"Whisper model file '{_options.ModelPath}' is not a loadable ggml Whisper model: {loaded.Message}. {LastLoaderError()}"),
                _ => new WhisperEngineException(WhisperEngineError.ProtocolError, $"Unexpected answer to load: {loaded.Code} {loaded.Message}"),
            };
        }
    }

    /// <summary>whisper.cpp's loader prints why it refused a file on stderr (bad magic, wrong tensor shape...).</summary>
    private string LastLoaderError()
    {
        lock (_stderrLock)
        {
            return _stderr.LastOrDefault(l => l.Contains("whisper_model_load", StringComparison.Ordinal)
                && (l.Contains("invalid", StringComparison.Ordinal) || l.Contains("wrong", StringComparison.Ordinal)
                    || l.Contains("unknown", StringComparison.Ordinal) || l.Contains("ERROR", StringComparison.Ordinal))) ?? "";
        }
    }

    /// <summary>
    /// Queues a feed frame (the stream's constant request JSON plus PCM). Waits while the queue is full;
    /// false when the worker is gone (the caller re-feeds the next one).
    /// </summary>
    public bool Feed(ReadOnlySpan<byte> feedJson, ReadOnlySpan<short> samples)
    {
        if (!IsAlive)
        {
            return false;
        }

        int length = WorkerFrame.GetSerializedLength(feedJson.Length, samples.Length);
        byte[] buffer = _buffers.Rent(length);
        WorkerFrame.WriteTo(buffer, feedJson, samples);
        var frame = new Frame(buffer, length);
        if (_send.Writer.TryWrite(frame))
        {
            return true;
        }

        try
        {
            // Called from the recognizer's decoding task, which is synchronous by contract: blocking here
            // is the back-pressure that fills the stream's audio queue.
            _send.Writer.WriteAsync(frame).AsTask().GetAwaiter().GetResult();
            return true;
        }
        catch (ChannelClosedException)
        {
            _buffers.Return(buffer);
            return false;
        }
    }

    /// <summary>Sends a request built by <paramref name="fields"/> (op and arguments) and waits for its reply.</summary>
    public async Task<WorkerMessage> RequestAsync(Action<Utf8JsonWriter> fields, TimeSpan timeout, CancellationToken cancellationToken)
    {
        long id = Interlocked.Increment(ref _nextId);
        var output = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", id);
            fields(writer);
            writer.WriteEndObject();
        }

        var reply = new TaskCompletionSource<WorkerMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        if (!IsAlive)
        {
            _pending.TryRemove(id, out _);
            throw Crashed();
        }

        int length = WorkerFrame.GetSerializedLength(output.WrittenCount, 0);
        byte[] buffer = _buffers.Rent(length);
        WorkerFrame.WriteTo(buffer, output.WrittenSpan, []);
        try
        {
            await _send.Writer.WriteAsync(new Frame(buffer, length), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ChannelClosedException or OperationCanceledException)
        {
            _buffers.Return(buffer);
            _pending.TryRemove(id, out _);
            if (ex is OperationCanceledException)
            {
                throw;
            }

            throw Crashed();
        }

        try
        {
            return await reply.Task.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new WhisperEngineException(WhisperEngineError.Timeout,
                $"Whisper worker {ProcessId} did not answer within {timeout.TotalSeconds:0.#} s.", inner: ex);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Ends the process at once (health check failure, disposal).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Closing stdin is the worker's signal to exit; a hung one is killed.
        _send.Writer.TryComplete();
        try
        {
            await _exited.Task.WaitAsync(TimeSpan.FromSeconds(2), _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Kill();
            await _exited.Task.ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private WhisperEngineException Crashed() => new(WhisperEngineError.WorkerCrashed,
        $"Whisper worker {ProcessId} exited{ExitCodeText()}. {StderrTail}");

    private string ExitCodeText()
    {
        try
        {
            return _process.HasExited ? $" with code {_process.ExitCode}" : "";
        }
        catch (InvalidOperationException)
        {
            return "";
        }
    }

    private async Task WriteLoopAsync()
    {
        Stream stdin = _process.StandardInput.BaseStream;
        try
        {
            while (await _send.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (_send.Reader.TryRead(out Frame frame))
                {
                    try
                    {
                        await stdin.WriteAsync(frame.Buffer.AsMemory(0, frame.Length)).ConfigureAwait(false);
                    }
                    finally
                    {
                        _buffers.Return(frame.Buffer);
                    }
                }

                await stdin.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (IOException)
        {
            // Broken pipe: the process is gone; the read loop reports it.
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            _send.Writer.TryComplete();
            while (_send.Reader.TryRead(out Frame left))
            {
                _buffers.Return(left.Buffer);
            }

            try
            {
                stdin.Close();
            }
            catch (IOException)
            {
            }
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            StreamReader stdout = _process.StandardOutput;
            while (await stdout.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (!WorkerMessage.TryParse(line, out WorkerMessage? message, out WorkerParseError error))
                {
                    AddStderr($"[unparsed stdout: {error}] {line}");
                    continue;
                }

                if (message!.Kind != WorkerMessageKind.Reply)
                {
                    _ready.TrySetResult(message);
                }
                else if (_pending.TryRemove(message.Id, out TaskCompletionSource<WorkerMessage>? reply))
                {
                    reply.TrySetResult(message);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        try
        {
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
        }

        Volatile.Write(ref _dead, 1);
        _send.Writer.TryComplete();
        WhisperEngineException crashed = Crashed();
        _ready.TrySetException(crashed);
        foreach (long id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out TaskCompletionSource<WorkerMessage>? reply))
            {
                reply.TrySetException(crashed);
            }
        }

        _exited.TrySetResult();
    }

    private async Task StderrLoopAsync()
    {
        try
        {
            while (await _process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                AddStderr(line);
            }
        }
        catch (IOException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void AddStderr(string line)
    {
        lock (_stderrLock)
        {
            if (_stderr.Count == StderrLines)
            {
                _stderr.Dequeue();
            }

            _stderr.Enqueue(line);
        }
    }

    private readonly record struct Frame(byte[] Buffer, int Length);
}
