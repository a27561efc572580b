namespace Callbridge.PhoneMedia;

/// <summary>
/// Plays prompts into a <see cref="PhoneRtpSession"/> as its <see cref="PhoneRtpSession.AudioSource"/>:
/// queued prompts one after another, each task completing when the session has taken the prompt's last
/// frame to send; between prompts the <see cref="Fallback"/> (e.g. the conference mix) is heard.
/// Reading allocates nothing; each PlayAsync allocates its task.
/// </summary>
/// <remarks>Invariant: <c>_current</c> is the prompt being played, at <c>_position</c> samples; queued ones wait in <c>_queue</c>.</remarks>
public sealed class PromptPlayer : IPhoneAudioSource
{
    private readonly PhonePrompts? _prompts;
    private readonly Lock _gate = new();
    private readonly Queue<Playback> _queue = new();
    private Playback? _current;
    private int _position;

    public PromptPlayer(PhonePrompts? prompts = null) => _prompts = prompts;

    /// <summary>What plays when no prompt does; null is silence.</summary>
    public IPhoneAudioSource? Fallback { get; set; }

    /// <summary>A prompt is playing or queued.</summary>
    public bool IsPlaying
    {
        get
        {
            lock (_gate)
            {
                return _current is not null || _queue.Count > 0;
            }
        }
    }

    /// <summary>Plays <paramref name="prompt"/> after those already queued; completes when it was sent in full.</summary>
    public Task PlayAsync(PhonePrompt prompt, CancellationToken cancellationToken = default)
    {
        PhonePrompts prompts = _prompts ?? PhonePrompts.LoadDefault();
        return PlayAsync(prompts[prompt], cancellationToken);
    }

    /// <summary>Plays 8 kHz mono PCM after what is already queued; completes when it was sent in full, cancels when stopped.</summary>
    public Task PlayAsync(ReadOnlyMemory<short> audio8k, CancellationToken cancellationToken = default)
    {
        var playback = new Playback(audio8k);
        lock (_gate)
        {
            _queue.Enqueue(playback);
        }

        if (cancellationToken.CanBeCanceled)
        {
            playback.Registration = cancellationToken.Register(static s => ((Playback)s!).Cancel(), playback);
        }

        return playback.Completion.Task;
    }

    /// <summary>Stops the prompt being played and drops the queued ones; their tasks are cancelled.</summary>
    public void Stop()
    {
        Playback[] stopped;
        lock (_gate)
        {
            stopped = _current is null ? [.. _queue] : [_current, .. _queue];
            _queue.Clear();
            _current = null;
        }

        foreach (Playback p in stopped)
        {
            p.Cancel();
        }
    }

    public int Read(Span<short> frame8k)
    {
        Playback? finished = null;
        int written;
        lock (_gate)
        {
            while (_current is null && _queue.TryDequeue(out Playback? next))
            {
                if (!next.Completion.Task.IsCompleted)
                {
                    _current = next;
                    _position = 0;
                }
            }

            if (_current is null)
            {
                written = -1;
            }
            else if (_current.Completion.Task.IsCompleted)
            {
                // Cancelled while playing: the rest of this frame is silence.
                _current = null;
                frame8k.Clear();
                written = frame8k.Length;
            }
            else
            {
                ReadOnlySpan<short> rest = _current.Audio.Span[_position..];
                int n = Math.Min(rest.Length, frame8k.Length);
                rest[..n].CopyTo(frame8k);
                // The end of a prompt is padded with silence rather than the fallback: no blend at the seam.
                frame8k[n..].Clear();
                _position += n;
                if (_position >= _current.Audio.Length)
                {
                    finished = _current;
                    _current = null;
                }

                written = frame8k.Length;
            }
        }

        finished?.Complete();
        return written >= 0 ? written : Fallback?.Read(frame8k) ?? 0;
    }

    private sealed class Playback(ReadOnlyMemory<short> audio)
    {
        public ReadOnlyMemory<short> Audio { get; } = audio;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }

        public void Complete()
        {
            Completion.TrySetResult();
            Registration.Dispose();
        }

        public void Cancel()
        {
            Completion.TrySetCanceled();
            Registration.Dispose();
        }
    }
}
