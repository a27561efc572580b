using System.Diagnostics;
using Callbridge.Speech.Recognition;
using Xunit.Abstractions;

namespace Callbridge.Speech.Whisper.Tests;

/// <summary>
/// Whisper partials through the real worker (node + whisper.cpp from npm) with the tiny generated model:
/// the contract is a partial at least every second of speech and a final at the utterance end.
/// </summary>
public sealed class WhisperPartialTests(ITestOutputHelper output)
{
    private const int SampleRate = RecognizerOptions.SampleRate;

    // Partial times are sample counts cut at the VAD's 10 ms frames.
    private static readonly TimeSpan FrameSlack = TimeSpan.FromMilliseconds(10);

    // The first partial is the answer to a transcription of the first half second: it shows at the first
    // 500 ms turn after that answer, so by 1 s plus the worker's answer time (the tiny model takes 0.46 s
    // of CPU per transcription, seconds of wall time on a loaded host). 100 ms covers the decoding task
    // running behind the real-time pushes.
    private static readonly TimeSpan FirstPartialBase = TimeSpan.FromSeconds(1.1);

    [Fact]
    public async Task LongUtterance_AtRealTimePace_GivesPartialsAtLeastEverySecond_ThenTheFinal()
    {
        short[] speech = await LongSpeechAsync();
        await using WhisperEngine engine = await WhisperEngine.StartAsync(WhisperTestEnvironment.Options());

        List<RecognitionResult> results = await CaptionAtRealTimeAsync(engine, "carol", speech);
        Log(results, engine);

        RecognitionResult longest = AssertCadence(results, engine.Partials.MaxLatency);
        Assert.True(longest.End - longest.Start >= TimeSpan.FromSeconds(5), $"longest utterance {longest.End - longest.Start}");
        Assert.False(string.IsNullOrWhiteSpace(longest.Text));
        Assert.Equal(0, engine.WorkerRestarts);
        // The utterance so far was transcribed again as it grew, not once.
        Assert.True(engine.Partials.Answers >= 2, $"{engine.Partials.Answers} partial transcriptions answered");
    }

    [Fact]
    public async Task WorkerKilledMidUtterance_PartialsGoOnFromTheNewWorker_AndTheFinalArrives()
    {
        short[] speech = await LongSpeechAsync();
        await using WhisperEngine engine = await WhisperEngine.StartAsync(WhisperTestEnvironment.Options());
        int firstPid = engine.WorkerProcessId!.Value;
        int cut = 3 * SampleRate;
        long answeredBeforeRestart = 0;

        List<RecognitionResult> results = await CaptionAtRealTimeAsync(engine, "dave", speech, cut, async () =>
        {
            await WhisperEngineTests.KillAsync(firstPid);
            answeredBeforeRestart = engine.Partials.Answers;
            // A restart takes node's start and the model's load, seconds on a loaded host: the speaker's
            // audio pauses until the replacement is up, so the rest of the utterance meets the new worker.
            await WhisperEngineTests.WaitUntilAsync(() => engine.WorkerProcessId is { } pid && pid != firstPid, TimeSpan.FromSeconds(30));
        });
        Log(results, engine);

        Assert.True(engine.WorkerRestarts >= 1);
        Assert.NotEqual(firstPid, engine.WorkerProcessId);
        Assert.True(engine.Partials.Answers > answeredBeforeRestart, "the new worker answered no partial");
        RecognitionResult longest = AssertCadence(results, engine.Partials.MaxLatency);
        TimeSpan killedAt = TimeSpan.FromSeconds(cut / (double)SampleRate);
        Assert.True(longest.Start < killedAt && longest.End > killedAt, $"the kill at {killedAt} falls in {longest.Start}..{longest.End}");
        Assert.False(string.IsNullOrWhiteSpace(longest.Text));
    }

    [Fact]
    public async Task StalledWorker_GetsOnePartialAtATime_LaterTurnsAreSkippedNotQueued()
    {
        short[] speech = await LongSpeechAsync();
        await using WhisperEngine engine = await WhisperEngine.StartAsync(WhisperTestEnvironment.Options(o => o with
        {
            // The stall is deliberate here: keep the health check from replacing the worker.
            HealthCheckInterval = TimeSpan.FromMinutes(10),
        }));
        var first = (WhisperDecoder)engine.TryLease()!;
        var second = (WhisperDecoder)engine.TryLease()!;
        int pid = engine.WorkerProcessId!.Value;
        const int Half = SampleRate / 2;

        first.StartUtterance();
        first.Process(speech.AsSpan(0, SampleRate));
        Assert.Equal("", first.GetPartial());
        Assert.Equal(1, engine.Partials.Requests);

        await WhisperEngineTests.SignalAsync("-STOP", pid);
        for (int i = 1; i <= 6; i++)
        {
            first.Process(speech.AsSpan(SampleRate + ((i - 1) * Half), Half));
            first.GetPartial();
        }

        second.StartUtterance();
        second.Process(speech.AsSpan(0, 2 * SampleRate));
        Assert.Equal("", second.GetPartial());
        // Five due turns of the first stream (at 2, 2.5, 3, 3.5, 4 s) and the second stream's first turn
        // while the worker was stopped: still the one request.
        Assert.Equal(1, engine.Partials.Requests);
        Assert.Equal(6, engine.Partials.Skipped);

        await WhisperEngineTests.SignalAsync("-CONT", pid);
        await WhisperEngineTests.WaitUntilAsync(() => engine.Partials.Answers == 1, TimeSpan.FromSeconds(30));
        // The answer is of the first second; the next turn sends the 4 s heard since.
        Assert.NotEqual("", first.GetPartial());
        Assert.Equal(2, engine.Partials.Requests);
        Assert.True(first.Partials.InFlight);

        (string text, _) = await Task.Run(first.EndUtterance).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(4 * SampleRate, first.LastTranscript!.Samples);
        Assert.Equal(first.LastTranscript.Text, text);
        // The final cleared the utterance: a partial answered after it is not shown for the next one.
        first.StartUtterance();
        Assert.Equal("", first.GetPartial());
        Assert.Equal(pid, engine.WorkerProcessId);
        engine.Return(first);
        engine.Return(second);
    }

    [Fact]
    public async Task PartialsOff_DecoderGivesFinalsOnly()
    {
        short[] speech = await LongSpeechAsync();
        await using WhisperEngine engine = await WhisperEngine.StartAsync(WhisperTestEnvironment.Options(o => o with { MaxPartialsInFlight = 0 }));
        var decoder = (WhisperDecoder)engine.TryLease()!;

        decoder.StartUtterance();
        for (int i = 0; i < 4; i++)
        {
            decoder.Process(speech.AsSpan(i * SampleRate, SampleRate));
            Assert.Equal("", decoder.GetPartial());
        }

        (string text, _) = await Task.Run(decoder.EndUtterance).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual("", text);
        Assert.Equal(0, engine.Partials.Requests);
        engine.Return(decoder);
    }

    /// <summary>
    /// For every utterance with a final: the first partial within <see cref="FirstPartialBase"/> plus the
    /// slowest partial answer of its start, then through each partial to the final no gap over one second of audio. Returns the longest
    /// utterance's final.
    /// </summary>
    private static RecognitionResult AssertCadence(List<RecognitionResult> results, TimeSpan maxAnswerLatency)
    {
        TimeSpan firstBound = FirstPartialBase + maxAnswerLatency;
        List<RecognitionResult> finals = results.Where(r => r.IsFinal).ToList();
        Assert.NotEmpty(finals);
        foreach (RecognitionResult final in finals)
        {
            List<RecognitionResult> partials = results.Where(r => !r.IsFinal && r.UtteranceIndex == final.UtteranceIndex).ToList();
            if (final.End - final.Start <= firstBound)
            {
                continue;
            }

            Assert.NotEmpty(partials);
            Assert.True(partials[0].End - final.Start <= firstBound + FrameSlack,
                $"utterance {final.UtteranceIndex}: first partial at {partials[0].End}, utterance from {final.Start}, slowest answer {maxAnswerLatency}");
            TimeSpan previous = partials[0].End;
            foreach (RecognitionResult partial in partials)
            {
                Assert.True(results.IndexOf(partial) < results.IndexOf(final), "a partial after its final");
                Assert.False(string.IsNullOrWhiteSpace(partial.Text));
                Assert.True(partial.End - previous <= TimeSpan.FromSeconds(1) + FrameSlack,
                    $"utterance {final.UtteranceIndex}: no partial between {previous} and {partial.End}");
                previous = partial.End;
            }

            Assert.True(final.End - previous <= TimeSpan.FromSeconds(1) + FrameSlack,
                $"utterance {final.UtteranceIndex}: no partial between {previous} and the final at {final.End}");
        }

        return finals.MaxBy(f => f.End - f.Start)!;
    }

    /// <summary>
    /// Speaks <paramref name="speech"/> and a second of silence into a new stream at real-time pace, running
    /// <paramref name="atCut"/> after the first <paramref name="cut"/> samples; returns every result.
    /// </summary>
    private static async Task<List<RecognitionResult>> CaptionAtRealTimeAsync(WhisperEngine engine, string speaker, short[] speech,
        int cut = 0, Func<Task>? atCut = null)
    {
        var recognizer = new StreamingRecognizer(engine);
        await using IRecognitionStream stream = recognizer.OpenStream(speaker);
        Task<List<RecognitionResult>> reading = WhisperEngineTests.ReadAllAsync(stream);
        var pacer = new RealTimePacer(stream);
        await pacer.PushAsync(speech.AsMemory(0, cut));
        if (atCut is not null)
        {
            await atCut();
            pacer.Resume();
        }

        await pacer.PushAsync(speech.AsMemory(cut));
        await pacer.PushAsync(new short[SampleRate]);
        stream.Complete();
        return await reading.WaitAsync(TimeSpan.FromSeconds(90));
    }

    /// <summary>The flite sentence three times without its edge silences: about 8 s of continuous speech.</summary>
    private static async Task<short[]> LongSpeechAsync()
    {
        short[] speech = await WhisperTestEnvironment.SpeechAsync();
        int first = Array.FindIndex(speech, s => Math.Abs((int)s) > 300);
        int last = Array.FindLastIndex(speech, s => Math.Abs((int)s) > 300);
        short[] voiced = speech[first..(last + 1)];
        short[] result = [.. voiced, .. voiced, .. voiced];
        Assert.True(result.Length >= 6 * SampleRate, $"{result.Length} samples");
        return result;
    }

    private void Log(List<RecognitionResult> results, WhisperEngine engine)
    {
        foreach (RecognitionResult r in results)
        {
            output.WriteLine($"{r.Kind} #{r.UtteranceIndex} {r.Start.TotalSeconds:0.00}-{r.End.TotalSeconds:0.00} s {r.Reason} '{r.Text[..Math.Min(40, r.Text.Length)]}'");
        }

        output.WriteLine($"partials: {engine.Partials.Requests} requested, {engine.Partials.Answers} answered, {engine.Partials.Skipped} skipped, slowest answer {engine.Partials.MaxLatency.TotalSeconds:0.00} s; restarts {engine.WorkerRestarts}");
    }

    /// <summary>Pushes 20 ms chunks no faster than real time, as the media path delivers them.</summary>
    private sealed class RealTimePacer(IRecognitionStream stream)
    {
        private const int Chunk = SampleRate / 50;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _paused;
        private long _pushed;

        /// <summary>After a pause in the pushes: the next chunk goes out now, then real time again.</summary>
        public void Resume() => _paused = _clock.Elapsed - TimeSpan.FromSeconds(_pushed / (double)SampleRate);

        public async Task PushAsync(ReadOnlyMemory<short> samples)
        {
            for (int i = 0; i < samples.Length; i += Chunk)
            {
                TimeSpan due = _paused + TimeSpan.FromSeconds(_pushed / (double)SampleRate);
                TimeSpan wait = due - _clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                int length = Math.Min(Chunk, samples.Length - i);
                await stream.PushAsync(samples.Slice(i, length));
                _pushed += length;
            }
        }
    }
}
