using System.Globalization;
using Callbridge.Audio.Wav;
using Callbridge.Speech.Captions;
using Callbridge.Speech.Metrics;
using Callbridge.Speech.PocketSphinx;
using Callbridge.Speech.Recognition;
using Xunit.Abstractions;

namespace Callbridge.Speech.Tests;

[Collection(FliteCollection.Name)]
public sealed class RecognizerTests : IDisposable
{
    private readonly FliteCorpus _corpus;
    private readonly ITestOutputHelper _output;
    private readonly PocketSphinxEngine _engine = new(new PocketSphinxOptions { MaxDecoders = 4 });

    public RecognizerTests(FliteCorpus corpus, ITestOutputHelper output)
    {
        _corpus = corpus;
        _output = output;
    }

    public void Dispose() => _engine.Dispose();

    [Fact]
    public async Task WerIsNoWorseThanBarePocketSphinxAndUnderAQuarter()
    {
        var recognizer = new StreamingRecognizer(_engine);
        string reference = string.Join(' ', _corpus.Sentences);
        var ours = new Dictionary<string, WordErrors>();
        var bare = new Dictionary<string, WordErrors>();
        var jobs = new List<Task>();
        foreach (string voice in FliteCorpus.Voices)
        {
            // Sentences separated by 1 s of silence: our VAD and pocketsphinx_continuous's must both segment them.
            string wav = _corpus.WriteWav($"{voice}-all.wav", _corpus.Concatenate(voice, TimeSpan.FromSeconds(1)));
            jobs.Add(Task.Run(async () =>
            {
                // A loaded host can take minutes for 90 s of audio: the bound only catches a hang.
                ExternalTool.Result result = await ExternalTool.RunAsync("pocketsphinx_continuous", "pocketsphinx", ["-infile", wav], null, TimeSpan.FromMinutes(15));
                Assert.True(result.ExitCode == 0, result.Stderr);
                lock (bare)
                {
                    bare[voice] = WordErrorRate.Compute(reference, result.StdoutText);
                }
            }));
            jobs.Add(Task.Run(async () =>
            {
                using WavReader reader = WavReader.Open(wav);
                IReadOnlyList<RecognitionResult> results = await WavTranscriber.TranscribeAsync(reader, recognizer, voice);
                var finals = results.Where(r => r.IsFinal).ToList();
                Assert.All(finals, f => Assert.Equal(FinalReason.EndOfSpeech, f.Reason));
                Assert.InRange(finals.Count, _corpus.Sentences.Count * 2 / 3, _corpus.Sentences.Count * 3 / 2);
                Assert.All(finals.Where(f => f.Text.Length > 0), f => Assert.InRange(f.Confidence!.Value, 1e-9, 1.0));
                lock (ours)
                {
                    ours[voice] = WordErrorRate.Compute(reference, string.Join(' ', finals.Select(f => f.Text)));
                }
            }));
        }

        await Task.WhenAll(jobs);
        WordErrors oursTotal = default, bareTotal = default;
        foreach (string voice in FliteCorpus.Voices)
        {
            _output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{voice}: ours {ours[voice].Rate:P1} ({ours[voice].Edits}/{ours[voice].ReferenceWords}), pocketsphinx_continuous {bare[voice].Rate:P1} ({bare[voice].Edits}/{bare[voice].ReferenceWords})"));
            Assert.True(ours[voice].Rate <= bare[voice].Rate + 0.02, $"{voice}: ours {ours[voice].Rate:P1} vs bare {bare[voice].Rate:P1}");
            oursTotal += ours[voice];
            bareTotal += bare[voice];
        }

        _output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"overall: ours {oursTotal.Rate:P1}, pocketsphinx_continuous {bareTotal.Rate:P1}"));
        Assert.True(oursTotal.Rate <= 0.25, $"overall WER {oursTotal.Rate:P1}");
        Assert.True(oursTotal.Rate <= bareTotal.Rate + 0.02);
    }

    [Fact]
    public async Task PartialsArriveWhileSpeechGoesOnAndTheFinalAfterItEnds()
    {
        var recognizer = new StreamingRecognizer(_engine);
        // Three sentences without pauses: one long utterance of continuous speech, then 1.5 s of silence.
        short[] speech = _corpus.Concatenate("slt", TimeSpan.Zero, first: 0, count: 3);
        double speechSeconds = speech.Length / 16000.0;
        Assert.InRange(speechSeconds, 3.5, 9.5);
        short[] audio = [.. speech, .. new short[24000]];

        await using IRecognitionStream stream = recognizer.OpenStream("alice");
        var arrivals = new List<(RecognitionResult Result, long PushedSamples)>();
        long pushed = 0;
        Task reader = Task.Run(async () =>
        {
            await foreach (RecognitionResult r in stream.ReadResultsAsync())
            {
                lock (arrivals)
                {
                    arrivals.Add((r, Interlocked.Read(ref pushed)));
                }
            }
        });

        // 100 ms pushes, each once the worker has taken in the previous ones: a live source on a host
        // that keeps up, whatever the load of this machine (capacity is measured by the benchmark).
        var live = (RecognitionStream)stream;
        for (int offset = 0; offset < audio.Length; offset += 1600)
        {
            int n = Math.Min(1600, audio.Length - offset);
            await stream.PushAsync(audio.AsMemory(offset, n));
            Interlocked.Add(ref pushed, n);
            // The worker consumes whole 10 ms frames; a trailing partial frame waits for more audio.
            while (live.ProcessedSamples < (offset + n) / 160 * 160)
            {
                await Task.Delay(5);
            }
        }

        stream.Complete();
        await reader;

        var partials = arrivals.Where(a => !a.Result.IsFinal).ToList();
        var finals = arrivals.Where(a => a.Result.IsFinal).ToList();
        _output.WriteLine(string.Join('\n', arrivals.Select(a => string.Create(CultureInfo.InvariantCulture,
            $"{a.Result.Kind} {a.Result.Start.TotalSeconds:0.00}-{a.Result.End.TotalSeconds:0.00} pushed {a.PushedSamples / 16000.0:0.00}s: {a.Result.Text}"))));
        Assert.Single(finals);
        Assert.Equal(FinalReason.EndOfSpeech, finals[0].Result.Reason);
        Assert.True(partials.Count >= (int)speechSeconds, $"{partials.Count} partials for {speechSeconds:0.0} s of speech");

        // Partials came while the speech was still being pushed, at most a second of speech apart.
        Assert.All(partials, p => Assert.True(p.PushedSamples <= (p.Result.End.TotalSeconds + 1) * 16000, "partial arrived over a second late"));
        Assert.True(partials.Count(p => p.PushedSamples < speech.Length) >= (int)speechSeconds - 1, "partials must come while speech is pushed");
        TimeSpan previous = partials[0].Result.Start;
        foreach (var p in partials)
        {
            Assert.True(p.Result.End - previous <= TimeSpan.FromSeconds(1), "gap between partials over 1 s");
            previous = p.Result.End;
        }

        // The final came after the utterance ended, and its times bracket the speech.
        RecognitionResult final = finals[0].Result;
        Assert.True(finals[0].PushedSamples >= speech.Length, "final before the speech ended");
        Assert.True(arrivals.IndexOf(finals[0]) == arrivals.Count - 1);
        Assert.InRange(final.Start.TotalSeconds, 0, 0.1);
        Assert.InRange(final.End.TotalSeconds, speechSeconds - 0.3, speechSeconds + 0.3);
        Assert.True(WordErrorRate.Compute(string.Join(' ', _corpus.Sentences.Take(3)), final.Text).Rate < 0.4, final.Text);
    }

    [Fact]
    public async Task ContinuousSpeechIsForcedToAFinalAfterTenSeconds()
    {
        var recognizer = new StreamingRecognizer(_engine);
        short[] speech = _corpus.Concatenate("rms", TimeSpan.Zero, first: 4, count: 8);
        double seconds = speech.Length / 16000.0;
        Assert.True(seconds > 14, $"only {seconds:0.0} s of speech");
        string wav = _corpus.WriteWav("rms-continuous.wav", [.. speech, .. new short[16000]]);
        using WavReader reader = WavReader.Open(wav);
        IReadOnlyList<RecognitionResult> results = await WavTranscriber.TranscribeAsync(reader, recognizer, "bob");
        var finals = results.Where(r => r.IsFinal).ToList();
        _output.WriteLine(string.Join('\n', finals.Select(f => string.Create(CultureInfo.InvariantCulture,
            $"{f.Reason} {f.Start.TotalSeconds:0.00}-{f.End.TotalSeconds:0.00}: {f.Text}"))));
        Assert.True(finals.Count >= 2);
        RecognitionResult forced = finals[0];
        Assert.Equal(FinalReason.MaxDuration, forced.Reason);
        Assert.Equal(10.0, (forced.End - forced.Start).TotalSeconds, 2);
        Assert.NotEmpty(forced.Text);
        // Recognition goes on in the next utterance, starting where the forced one ended.
        Assert.Equal(forced.End, finals[1].Start);
        Assert.Equal(FinalReason.EndOfSpeech, finals[^1].Reason);
        Assert.NotEmpty(finals[^1].Text);
        Assert.All(finals, f => Assert.Equal("bob", f.SpeakerId));
    }

    [Fact]
    public async Task RandomPushSizesGiveTheSameFinalsAsOnePush()
    {
        var recognizer = new StreamingRecognizer(_engine);
        short[] audio = _corpus.Concatenate("awb", TimeSpan.FromSeconds(0.8), first: 10, count: 4);

        async Task<List<RecognitionResult>> RunAsync(Func<IRecognitionStream, Task> push)
        {
            await using IRecognitionStream stream = recognizer.OpenStream("carol");
            var results = new List<RecognitionResult>();
            Task reader = Task.Run(async () =>
            {
                await foreach (RecognitionResult r in stream.ReadResultsAsync())
                {
                    results.Add(r);
                }
            });
            await push(stream);
            stream.Complete();
            await reader;
            return results.Where(r => r.IsFinal).ToList();
        }

        List<RecognitionResult> once = await RunAsync(s => s.PushAsync(audio).AsTask());
        var rng = new Random(11);
        List<RecognitionResult> random = await RunAsync(async s =>
        {
            int offset = 0;
            while (offset < audio.Length)
            {
                int n = Math.Min(rng.Next(1, 5000), audio.Length - offset);
                if (!s.TryPush(audio.AsSpan(offset, n)))
                {
                    await s.PushAsync(audio.AsMemory(offset, n));
                }

                offset += n;
            }
        });

        Assert.True(once.Count >= 3, $"{once.Count} finals");
        Assert.Equal(once.Select(r => (r.Text, r.Start, r.End)), random.Select(r => (r.Text, r.Start, r.End)));
    }

    [Fact]
    public async Task DecodersAreBoundedAndReused()
    {
        using var engine = new PocketSphinxEngine(new PocketSphinxOptions { MaxDecoders = 1 });
        var recognizer = new StreamingRecognizer(engine);
        IRecognitionStream first = recognizer.OpenStream("a");
        var busy = Assert.Throws<RecognizerBusyException>(() => recognizer.OpenStream("b"));
        Assert.Equal(1, busy.MaxDecoders);
        first.Complete();
        await first.DisposeAsync();
        await using IRecognitionStream second = recognizer.OpenStream("b");
        Assert.Equal(1, engine.DecodersCreated);
        Assert.True(second.TryPush(_corpus.Utterances("slt")[0]));
        second.Complete();
        var results = new List<RecognitionResult>();
        await foreach (RecognitionResult r in second.ReadResultsAsync())
        {
            results.Add(r);
        }

        Assert.Contains(results, r => r.IsFinal && r.Text.Length > 0);
    }

    [Fact]
    public void MissingModelIsATypedErrorNamingThePackage()
    {
        var ex = Assert.Throws<SpeechEngineException>(() => new PocketSphinxEngine(new PocketSphinxOptions { ModelDirectory = "/nonexistent/model" }));
        Assert.Equal(SpeechEngineError.ModelMissing, ex.Error);
        Assert.Equal("pocketsphinx-en-us", ex.DebianPackage);
    }
}
