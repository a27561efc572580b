using System.Globalization;
using Callbridge.Audio.Opus;
using Callbridge.Audio.Resampling;
using Callbridge.Gateways;
using Callbridge.Speech.Recognition;

namespace Callbridge.Captions;

/// <summary>
/// One speaker in a <see cref="CaptionPipeline"/>: Opus decoder, 48 -> 16 kHz resampler, and the current
/// recognizer stream with the task that reads its results.
/// Invariants (under <c>_gate</c>): <c>_current</c> is the only stream audio goes to; while its recognizer
/// stream is still opening (a decoder may load a model for seconds) audio waits in its pending buffer, so the
/// media thread never waits for an engine. <see cref="StreamState.PushedSamples"/> counts every 16 kHz sample
/// given to the stream, and its anchors map those positions to pipeline time; <c>_nextRtp</c> is the RTP
/// timestamp right after the last decoded packet.
/// </summary>
internal sealed class SpeakerChannel : IAsyncDisposable
{
    private const int OpusRate = 48000;
    private const int Ratio = OpusRate / RecognizerOptions.SampleRate;

    /// <summary>120 ms: the longest Opus packet (RFC 6716 section 3.2.5).</summary>
    private const int MaxPacketSamples = 5760;

    /// <summary>Opus decodes and conceals in multiples of 2.5 ms (120 samples at 48 kHz).</summary>
    private const int OpusGranule = 120;

    private readonly CaptionPipeline _pipeline;
    private readonly Lock _gate = new();
    private readonly OpusDecoder _decoder;
    private readonly SpeexResampler _resampler;
    private readonly short[] _pcm48 = new short[MaxPacketSamples];
    private readonly short[] _pcm16;
    private readonly short[] _silence16 = new short[1600];
    private readonly int _maxConceal48;
    private readonly long _maxGapFill48;
    private StreamState? _current;
    private uint _nextRtp;
    private bool _haveRtp;
    private long _retryAt;
    private bool _refusedReported;
    private bool _dropReported;
    private bool _closed;
    private bool _disposed;
    private int _generation;

    public SpeakerChannel(CaptionPipeline pipeline, string participantId, string? displayName)
    {
        _pipeline = pipeline;
        ParticipantId = participantId;
        DisplayName = displayName;
        _decoder = new OpusDecoder(OpusRate, 1);
        _resampler = new SpeexResampler(1, OpusRate, RecognizerOptions.SampleRate, pipeline.Options.ResamplerQuality);
        _resampler.SkipZeros();
        _pcm16 = new short[_resampler.GetMaxOutputLength(MaxPacketSamples)];
        _maxConceal48 = (int)(OpusRate * pipeline.Options.MaxConcealment.TotalSeconds) / OpusGranule * OpusGranule;
        _maxGapFill48 = (long)(OpusRate * pipeline.Options.MaxGapFill.TotalSeconds);
    }

    public string ParticipantId { get; }

    public string? DisplayName { get; private set; }

    public bool HasStream
    {
        get
        {
            lock (_gate)
            {
                return _current is { Stream: not null };
            }
        }
    }

    public CaptionPushResult PushOpus(string? displayName, uint rtpTimestamp, ReadOnlySpan<byte> packet)
    {
        lock (_gate)
        {
            if (_closed || !_pipeline.IsRunning)
            {
                return CaptionPushResult.Stopped;
            }

            if (displayName is not null)
            {
                DisplayName = displayName;
            }

            // RFC 7587 section 4.1: the Opus RTP clock is 48 kHz whatever the coded bandwidth.
            int packetSamples = OpusDecoder.GetSampleCount(packet, OpusRate);
            if (packetSamples <= 0 || packetSamples > MaxPacketSamples)
            {
                return CaptionPushResult.DecodeFailed;
            }

            long gap = 0;
            if (_haveRtp)
            {
                int delta = unchecked((int)(rtpTimestamp - _nextRtp));
                if (delta < 0)
                {
                    return CaptionPushResult.Late;
                }

                gap = delta;
            }

            StreamState? stream = _current ?? TryOpenStream(packetSamples);
            if (stream is null)
            {
                // Keep the decoder and the clock moving so that a stream opened later starts in step.
                _decoder.TryDecode(packet, _pcm48.AsSpan(0, packetSamples), out _);
                _nextRtp = rtpTimestamp + (uint)packetSamples;
                _haveRtp = true;
                return CaptionPushResult.SpeakerRefused;
            }

            bool queued = true;
            if (gap > 0 && stream.PushedSamples > 0)
            {
                queued &= FillGap(stream, gap, packet);
            }

            OpusError error = _decoder.TryDecode(packet, _pcm48.AsSpan(0, packetSamples), out int decoded);
            _nextRtp = rtpTimestamp + (uint)packetSamples;
            _haveRtp = true;
            if (error != OpusError.Ok)
            {
                return CaptionPushResult.DecodeFailed;
            }

            queued &= PushResampled(stream, _pcm48.AsSpan(0, decoded));
            stream.NotAfter(_pipeline.Elapsed);
            if (!queued)
            {
                if (!_dropReported)
                {
                    _dropReported = true;
                    _pipeline.Notice(CaptionNoticeKind.AudioDropped, ParticipantId,
                        $"The recognizer is behind for {DisplayName ?? ParticipantId}: audio is being dropped.");
                }

                return CaptionPushResult.QueueFull;
            }

            _dropReported = false;
            return CaptionPushResult.Accepted;
        }
    }

    /// <summary>No more audio: the utterance in progress gets its final and the result reader finishes.</summary>
    public async Task CompleteAsync()
    {
        StreamState? state;
        lock (_gate)
        {
            state = _current;
            _closed = true;
        }

        if (state is null)
        {
            return;
        }

        await state.Opened.ConfigureAwait(false);
        IRecognitionStream? stream;
        lock (_gate)
        {
            stream = state.Stream;
        }

        if (stream is null)
        {
            return;
        }

        stream.Complete();
        await state.Reader.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        StreamState? state;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _closed = true;
            state = _current;
            _current = null;
        }

        if (state is not null)
        {
            await state.Opened.ConfigureAwait(false);
            IRecognitionStream? stream;
            lock (_gate)
            {
                stream = state.Stream;
            }

            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                await state.Reader.ConfigureAwait(false);
            }
        }

        lock (_gate)
        {
            _decoder.Dispose();
            _resampler.Dispose();
        }
    }

    /// <summary>
    /// Called under <c>_gate</c>: starts opening a recognizer stream in the background unless one was refused
    /// within the retry interval. Audio goes to the returned state's pending buffer until the stream is open.
    /// </summary>
    private StreamState? TryOpenStream(int firstPacketSamples)
    {
        TimeProvider time = _pipeline.Time;
        long now = time.GetTimestamp();
        if (_retryAt != 0 && now < _retryAt)
        {
            return null;
        }

        _generation++;
        _resampler.Reset();
        _resampler.SkipZeros();
        // The first packet's audio began one packet duration before it arrived.
        TimeSpan origin = _pipeline.Elapsed - TimeSpan.FromTicks((long)firstPacketSamples * TimeSpan.TicksPerSecond / OpusRate);
        var state = new StreamState(_generation, origin < TimeSpan.Zero ? TimeSpan.Zero : origin,
            (int)(RecognizerOptions.SampleRate * _pipeline.Options.MaxOpeningBacklog.TotalSeconds));
        _current = state;
        state.Opened = Task.Run(() => OpenAsync(state));
        return state;
    }

    private void OpenAsync(StreamState state)
    {
        IRecognitionStream? opened = null;
        Exception? failure = null;
        try
        {
            opened = _pipeline.Recognizer.OpenStream(ParticipantId);
        }
#pragma warning disable CA1031 // An engine that cannot open a stream is reported and retried, never thrown into the media thread.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }

        bool started = false;
        lock (_gate)
        {
            if (opened is not null && _current == state && !_disposed)
            {
                _retryAt = 0;
                _refusedReported = false;
                state.Attach(opened);
                state.Reader = Task.Run(() => ReadResultsAsync(state, opened));
                if (_closed)
                {
                    opened.Complete();
                }

                started = true;
            }
            else if (_current == state)
            {
                _current = null;
                _retryAt = _pipeline.Time.GetTimestamp() + (long)(_pipeline.Options.RetryInterval.TotalSeconds * _pipeline.Time.TimestampFrequency);
            }
        }

        if (started)
        {
            _pipeline.Notice(CaptionNoticeKind.SpeakerStarted, ParticipantId, $"Captioning {DisplayName ?? ParticipantId}.");
            return;
        }

        if (opened is not null)
        {
            // Closed while it opened: hand the decoder back.
            opened.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return;
        }

        if (failure is RecognizerBusyException busy)
        {
            bool report;
            lock (_gate)
            {
                report = !_refusedReported;
                _refusedReported = true;
            }

            if (report)
            {
                _pipeline.Notice(CaptionNoticeKind.SpeakerRefused, ParticipantId,
                    $"{DisplayName ?? ParticipantId} is not captioned: all {busy.MaxDecoders} recognizer streams are in use.");
            }
        }
        else if (failure is not null)
        {
            _pipeline.Notice(CaptionNoticeKind.RecognizerFailed, ParticipantId,
                $"No recognizer stream for {DisplayName ?? ParticipantId}: {failure.Message}");
        }
    }

    /// <summary>
    /// Called under <c>_gate</c> for <paramref name="gap48"/> missing samples before <paramref name="packet"/>:
    /// silence for what is older than <see cref="CaptionPipelineOptions.MaxConcealment"/>, then Opus PLC, with the
    /// last lost frame rebuilt from the packet's in-band FEC (RFC 6716 section 2.1.7). Gaps longer than
    /// <see cref="CaptionPipelineOptions.MaxGapFill"/> re-anchor the speaker's clock instead.
    /// </summary>
    private bool FillGap(StreamState stream, long gap48, ReadOnlySpan<byte> packet)
    {
        if (gap48 > _maxGapFill48)
        {
            stream.Anchor(_pipeline.Elapsed - TimeSpan.FromTicks((long)OpusDecoder.GetSampleCount(packet, OpusRate) * TimeSpan.TicksPerSecond / OpusRate));
            _decoder.TryDecode(default, _pcm48.AsSpan(0, 960), out _);
            return true;
        }

        long conceal = Math.Min(gap48, _maxConceal48) / OpusGranule * OpusGranule;
        long silence = gap48 - conceal;
        bool queued = true;
        for (long left = silence / Ratio; left > 0;)
        {
            int n = (int)Math.Min(left, _silence16.Length);
            queued &= stream.TryPush(_silence16.AsSpan(0, n));
            left -= n;
        }

        while (conceal > 0)
        {
            int n = (int)Math.Min(conceal, 960);
            // The frame right before the packet comes from the packet's FEC when it carries any, else PLC.
            bool last = conceal == n;
            ReadOnlySpan<byte> source = last ? packet : default;
            if (_decoder.TryDecode(source, _pcm48.AsSpan(0, n), out int got, decodeFec: last) != OpusError.Ok)
            {
                _decoder.TryDecode(default, _pcm48.AsSpan(0, n), out got);
            }

            queued &= PushResampled(stream, _pcm48.AsSpan(0, got));
            conceal -= n;
        }

        return queued;
    }

    private bool PushResampled(StreamState stream, ReadOnlySpan<short> pcm48)
    {
        if (pcm48.IsEmpty)
        {
            return true;
        }

        if (_resampler.Process(pcm48, _pcm16, out _, out int written) != ResamplerError.Success || written == 0)
        {
            return true;
        }

        return stream.TryPush(_pcm16.AsSpan(0, written));
    }

    private async Task ReadResultsAsync(StreamState state, IRecognitionStream stream)
    {
        try
        {
            await foreach (RecognitionResult result in stream.ReadResultsAsync().ConfigureAwait(false))
            {
                string utteranceId = string.Create(CultureInfo.InvariantCulture, $"{ParticipantId}#{state.Generation}.{result.UtteranceIndex}");
                // The start is placed by the end's clock anchor: a pre-roll reaching back across a re-anchored
                // gap then keeps the utterance's true length instead of jumping to the old anchor.
                TimeSpan end = state.Map(result.End);
                TimeSpan start = end - (result.End - result.Start);
                var update = new CaptionUpdate(ParticipantId, DisplayName, utteranceId, result.Text, result.IsFinal,
                    start < TimeSpan.Zero ? TimeSpan.Zero : start, end, result.Confidence);
                _pipeline.Deliver(update, result.Reason switch
                {
                    FinalReason.EndOfSpeech => "end-of-speech",
                    FinalReason.MaxDuration => "max-duration",
                    FinalReason.EndOfStream => "end-of-stream",
                    _ => "partial",
                });
            }
        }
        catch (OperationCanceledException)
        {
        }
#pragma warning disable CA1031 // A failed stream is reported and replaced on the next audio; the caption stream goes on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            bool replace;
            lock (_gate)
            {
                replace = _current == state;
                if (replace)
                {
                    _current = null;
                    _retryAt = 0;
                }
            }

            if (replace && !_pipeline.StoppedImmediately)
            {
                _pipeline.Notice(CaptionNoticeKind.RecognizerFailed, ParticipantId,
                    $"The recognizer failed for {DisplayName ?? ParticipantId} ({ex.Message}); a new stream opens with the next audio.");
                _ = Task.Run(async () => await stream.DisposeAsync().ConfigureAwait(false));
            }
        }
    }

    /// <summary>
    /// One recognizer stream of this speaker (null while it opens, audio then waits in <c>_pending</c>) and the
    /// map from its sample positions to pipeline time. Mutated under the channel's gate only.
    /// </summary>
    private sealed class StreamState(int generation, TimeSpan origin, int maxPendingSamples)
    {

        private readonly Lock _anchorGate = new();
        private readonly List<(long Sample, TimeSpan At)> _anchors = [(0, origin)];
        private short[]? _pending = new short[RecognizerOptions.SampleRate];
        private int _pendingCount;
        private long _dropped;

        public IRecognitionStream? Stream { get; private set; }

        public int Generation { get; } = generation;

        public Task Opened { get; set; } = Task.CompletedTask;

        public Task Reader { get; set; } = Task.CompletedTask;

        /// <summary>16 kHz samples given to the stream so far, pending ones included.</summary>
        public long PushedSamples { get; private set; }

        public void Attach(IRecognitionStream stream)
        {
            Stream = stream;
            if (_pendingCount > 0 && !stream.TryPush(_pending.AsSpan(0, _pendingCount)))
            {
                _dropped += _pendingCount;
            }

            _pending = null;
            _pendingCount = 0;
        }

        public bool TryPush(ReadOnlySpan<short> samples)
        {
            bool taken;
            if (Stream is null)
            {
                taken = _pendingCount + samples.Length <= maxPendingSamples;
                if (taken)
                {
                    if (_pending!.Length < _pendingCount + samples.Length)
                    {
                        Array.Resize(ref _pending, Math.Min(maxPendingSamples, Math.Max(_pending.Length * 2, _pendingCount + samples.Length)));
                    }

                    samples.CopyTo(_pending.AsSpan(_pendingCount));
                    _pendingCount += samples.Length;
                }
            }
            else
            {
                taken = Stream.TryPush(samples);
            }

            if (!taken)
            {
                _dropped += samples.Length;
                return false;
            }

            if (_dropped > 0)
            {
                // Dropped audio would shift every later time: the next pushed sample is re-anchored past the drop.
                Anchor(Map(PushedSamples) + TimeSpan.FromTicks(_dropped * TimeSpan.TicksPerSecond / RecognizerOptions.SampleRate));
                _dropped = 0;
            }

            PushedSamples += samples.Length;
            return true;
        }

        public void Anchor(TimeSpan at)
        {
            lock (_anchorGate)
            {
                _anchors.Add((PushedSamples, at < TimeSpan.Zero ? TimeSpan.Zero : at));
            }
        }

        /// <summary>
        /// Audio cannot have been spoken after it arrived. A stream is placed by the arrival of its first packet
        /// (or of the first after a long gap), and a backlog delivered at once (a subscription's first second, a
        /// stalled receive loop) makes that placement late by the backlog: when the pushed audio would end after
        /// <paramref name="arrival"/>, the latest anchor moves earlier by the difference, never before the end of
        /// the segment before it nor before the pipeline began. The placement so only ever improves, as with the
        /// least-delayed packet's transit in RFC 3550 section A.8.
        /// </summary>
        public void NotAfter(TimeSpan arrival)
        {
            lock (_anchorGate)
            {
                (long sample, TimeSpan at) = _anchors[^1];
                TimeSpan end = at + SamplesToTime(PushedSamples - sample);
                if (end <= arrival)
                {
                    return;
                }

                TimeSpan floor = TimeSpan.Zero;
                if (_anchors.Count > 1)
                {
                    (long previousSample, TimeSpan previousAt) = _anchors[^2];
                    floor = previousAt + SamplesToTime(sample - previousSample);
                }

                TimeSpan moved = at - (end - arrival);
                if (moved < floor)
                {
                    moved = floor;
                }

                if (moved < at)
                {
                    _anchors[^1] = (sample, moved);
                }
            }
        }

        public TimeSpan Map(TimeSpan streamTime) => Map(streamTime.Ticks * RecognizerOptions.SampleRate / TimeSpan.TicksPerSecond);

        private TimeSpan Map(long sample)
        {
            lock (_anchorGate)
            {
                (long Sample, TimeSpan At) anchor = _anchors[0];
                for (int i = _anchors.Count - 1; i >= 0; i--)
                {
                    if (_anchors[i].Sample <= sample)
                    {
                        anchor = _anchors[i];
                        break;
                    }
                }

                return anchor.At + SamplesToTime(sample - anchor.Sample);
            }
        }

        private static TimeSpan SamplesToTime(long samples) => TimeSpan.FromTicks(samples * TimeSpan.TicksPerSecond / RecognizerOptions.SampleRate);
    }
}
