using System.Diagnostics;
using Callbridge.Speech.Recognition;

namespace Callbridge.Speech.Whisper.Tests;

/// <summary>The real worker (node + whisper.cpp from npm) with the tiny generated model.</summary>
public sealed class WhisperEngineTests
{
    private const int SampleRate = RecognizerOptions.SampleRate;

    [Fact]
    public async Task GeneratedModel_LoadsAndTranscribesSpeechIntoWellFormedSegments()
    {
        Assert.Equal(0x67676d6cu, TinyWhisperModel.ReadMagic(WhisperTestEnvironment.ModelPath));
        short[] speech = await WhisperTestEnvironment.SpeechAsync();
        await using WhisperEngine engine = await WhisperEngine.StartAsync(WhisperTestEnvironment.Options());
        Assert.NotNull(engine.WorkerProcessId);

        WhisperTranscript transcript = await engine.TranscribeAsync(speech);

        Assert.Equal(speech.Length, transcript.Samples);
        Assert.Equal(1, transcript.Attempts);
        Assert.NotEmpty(transcript.Segments);
        AssertWellFormed(transcript, speech.Length);
        Assert.Equal(0, engine.WorkerRestarts);
    }

    [Fact]
    public async Task StreamingFliteSpeech_ThroughRecognizer_GivesFinalsWithinTheAudio()
    {
        short[] speech = await WhisperTestEnvironment.SpeechAsync();
        await using WhisperEngine engine = await WhisperEngine.StartAsync(WhisperTestEnvironment.Options());
        var recognizer = new StreamingRecognizer(engine);
        await using IRecognitionStream stream = recognizer.OpenStream("alice");

        Task<List<RecognitionResult>> reading = ReadAllAsync(stream);
        await PushAsync(stream, speech);
        // A second of silence after the speech closes the utterance by VAD, before the stream ends.
        await PushAsync(stream, new short[SampleRate]);
        stream.Complete();
        List<RecognitionResult> results = await reading.WaitAsync(TimeSpan.FromSeconds(60));

        List<RecognitionResult> finals = results.Where(r => r.IsFinal).ToList();
        Assert.NotEmpty(finals);
        TimeSpan total = TimeSpan.FromSeconds((speech.Length + SampleRate) / (double)SampleRate);
        foreach (RecognitionResult final in finals)
        {
            Assert.Equal("alice", final.SpeakerId);
            Assert.False(string.IsNullOrWhiteSpace(final.Text));
            Assert.True(final.Start < final.End, $"{final.Start} < {final.End}");
            Assert.True(final.End <= total, $"{final.End} <= {total}");
            Assert.Null(final.Confidence);
        }

        // Pushed faster than real time, partials may or may not be answered in time; any that are come
        // before the final of their utterance.
        foreach (RecognitionResult partial in results.Where(r => r.Kind == RecognitionResultKind.Partial))
        {
            int final = results.FindIndex(r => r.IsFinal && r.UtteranceIndex == partial.UtteranceIndex);
            Assert.True(final > results.IndexOf(partial), $"partial of utterance {partial.UtteranceIndex} after its final");
        }
    }

    [Fact]
    public async Task KillingTheWorkerMidUtterance_RestartsIt_AndTheWholeUtteranceIsReFed()
    {
        short[] speech = await WhisperTestEnvironment.SpeechAsync();
        await using WhisperEngine engine = await WhisperEngine.StartAsync(WhisperTestEnvironment.Options());
        var decoder = (WhisperDecoder)engine.TryLease()!;
        int firstPid = engine.WorkerProcessId!.Value;

        decoder.StartUtterance();
        int half = speech.Length / 2;
        decoder.Process(speech.AsSpan(0, half));
        await KillAsync(firstPid);
        decoder.Process(speech.AsSpan(half));
        (string text, double? confidence) = decoder.EndUtterance();

        WhisperTranscript transcript = decoder.LastTranscript!;
        // The new worker heard the part fed to the dead one too.
        Assert.Equal(speech.Length, transcript.Samples);
        AssertWellFormed(transcript, speech.Length);
        Assert.Equal(transcript.Text, text);
        Assert.Null(confidence);
        Assert.True(engine.WorkerRestarts >= 1);
        Assert.NotEqual(firstPid, engine.WorkerProcessId);
        engine.Return(decoder);
    }

    [Fact]
    public async Task KillingTheWorkerMidStream_TheCaptionStreamContinues()
    {
        short[] speech = await WhisperTestEnvironment.SpeechAsync();
        await using WhisperEngine engine = await WhisperEngine.StartAsync(WhisperTestEnvironment.Options());
        var recognizer = new StreamingRecognizer(engine);
        await using IRecognitionStream stream = recognizer.OpenStream("bob");
        var seen = new List<RecognitionResult>();
        Task<List<RecognitionResult>> reading = ReadAllAsync(stream, seen);
        int firstPid = engine.WorkerProcessId!.Value;

        // First utterance, then the worker dies in the middle of the second one.
        await PushAsync(stream, speech);
        await PushAsync(stream, new short[SampleRate]);
        await WaitUntilAsync(() => { lock (seen) { return seen.Count(r => r.IsFinal) == 1; } }, TimeSpan.FromSeconds(30));
        await PushAsync(stream, speech.AsMemory(0, speech.Length / 2));
        // Give the decoding task time to feed the first half to the worker that is about to die.
        await Task.Delay(300);
        await KillAsync(firstPid);
        await PushAsync(stream, speech.AsMemory(speech.Length / 2));
        await PushAsync(stream, new short[SampleRate]);
        stream.Complete();
        List<RecognitionResult> results = await reading.WaitAsync(TimeSpan.FromSeconds(90));

        List<RecognitionResult> finals = results.Where(r => r.IsFinal).ToList();
        Assert.Equal(2, finals.Count);
        Assert.Equal([0, 1], finals.Select(f => f.UtteranceIndex));
        Assert.True(finals[1].Start >= finals[0].End);
        Assert.True(engine.WorkerRestarts >= 1);
        Assert.NotEqual(firstPid, engine.WorkerProcessId);
    }

    [Fact]
    public async Task HungWorker_IsKilledByTheHealthCheck_AndReplaced()
    {
        short[] speech = await WhisperTestEnvironment.SpeechAsync();
        await using WhisperEngine engine = await WhisperEngine.StartAsync(WhisperTestEnvironment.Options(o => o with
        {
            HealthCheckInterval = TimeSpan.FromMilliseconds(200),
            HealthCheckTimeout = TimeSpan.FromMilliseconds(500),
        }));
        int firstPid = engine.WorkerProcessId!.Value;

        await SignalAsync("-STOP", firstPid);
        await WaitUntilAsync(() => engine.WorkerProcessId is { } pid && pid != firstPid, TimeSpan.FromSeconds(20));

        WhisperTranscript transcript = await engine.TranscribeAsync(speech);
        Assert.Equal(speech.Length, transcript.Samples);
        Assert.Equal(1, engine.WorkerRestarts);
    }

    [Fact]
    public async Task StalledWorker_HoldsTheDecoderBack_ThroughTheBoundedSendQueue_ThenEverythingArrives()
    {
        await using WhisperEngine engine = await WhisperEngine.StartAsync(WhisperTestEnvironment.Options(o => o with
        {
            SendQueueFrames = 4,
            // The stall is deliberate here: keep the health check from replacing the worker.
            HealthCheckInterval = TimeSpan.FromMinutes(10),
        }));
        var decoder = (WhisperDecoder)engine.TryLease()!;
        int pid = engine.WorkerProcessId!.Value;
        short[] speech = await WhisperTestEnvironment.SpeechAsync();
        // 10 s in 20 ms frames: 320 KB, far beyond the 64 KiB pipe plus 4 queued frames.
        short[] audio = Enumerable.Range(0, 4).SelectMany(_ => speech).Take(10 * SampleRate).ToArray();
        const int Frame = SampleRate / 50;
        int framesFed = 0;

        await SignalAsync("-STOP", pid);
        Task feeding = Task.Run(() =>
        {
            decoder.StartUtterance();
            for (int i = 0; i < audio.Length; i += Frame)
            {
                decoder.Process(audio.AsSpan(i, Math.Min(Frame, audio.Length - i)));
                Interlocked.Increment(ref framesFed);
            }
        });
        await Task.Delay(1000);
        int fedWhileStalled = Volatile.Read(ref framesFed);
        Assert.False(feeding.IsCompleted);
        Assert.InRange(fedWhileStalled, 1, (audio.Length / Frame) - 1);

        await SignalAsync("-CONT", pid);
        await feeding.WaitAsync(TimeSpan.FromSeconds(20));
        (string text, _) = await Task.Run(decoder.EndUtterance).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(audio.Length, decoder.LastTranscript!.Samples);
        Assert.Equal(decoder.LastTranscript.Text, text);
        Assert.Equal(pid, engine.WorkerProcessId);
        engine.Return(decoder);
    }

    private static void AssertWellFormed(WhisperTranscript transcript, int samples)
    {
        TimeSpan duration = TimeSpan.FromSeconds(samples / (double)SampleRate);
        TimeSpan previous = TimeSpan.Zero;
        foreach (WhisperSegment segment in transcript.Segments)
        {
            Assert.NotNull(segment.Text);
            Assert.True(segment.Start >= previous, $"segment starts at {segment.Start} before {previous}");
            Assert.True(segment.End >= segment.Start);
            Assert.True(segment.End <= duration, $"{segment.End} <= {duration}");
            previous = segment.Start;
        }
    }

    internal static async Task<List<RecognitionResult>> ReadAllAsync(IRecognitionStream stream, List<RecognitionResult>? seen = null)
    {
        var results = new List<RecognitionResult>();
        await foreach (RecognitionResult r in stream.ReadResultsAsync())
        {
            results.Add(r);
            if (seen is not null)
            {
                lock (seen)
                {
                    seen.Add(r);
                }
            }
        }

        return results;
    }

    internal static async Task PushAsync(IRecognitionStream stream, ReadOnlyMemory<short> samples)
    {
        const int Chunk = SampleRate / 50; // 20 ms, as the media path delivers it
        for (int i = 0; i < samples.Length; i += Chunk)
        {
            await stream.PushAsync(samples.Slice(i, Math.Min(Chunk, samples.Length - i)));
        }
    }

    internal static async Task KillAsync(int pid)
    {
        using Process worker = Process.GetProcessById(pid);
        Assert.Equal("node", worker.ProcessName);
        worker.Kill();
        await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
    }

    internal static async Task SignalAsync(string signal, int pid)
    {
        using Process kill = Process.Start("/bin/kill", [signal, pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < timeout, "condition not met in time");
            await Task.Delay(50);
        }
    }
}
