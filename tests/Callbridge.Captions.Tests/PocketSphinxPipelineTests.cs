using System.Globalization;
using Callbridge.Audio.Wav;
using Callbridge.Gateways;
using Callbridge.Speech.Metrics;
using Callbridge.Speech.PocketSphinx;
using Callbridge.Speech.Recognition;
using Callbridge.TestSupport.Media;
using Xunit.Abstractions;

namespace Callbridge.Captions.Tests;

/// <summary>Real PocketSphinx (Debian pocketsphinx-en-us) on flite speech sent through Opus at 48 kHz.</summary>
public sealed class PocketSphinxPipelineTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cb-captions-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task TwoSpeakersTakingTurnsAreCaptionedWithTheRightSpeakerAndText()
    {
        IReadOnlyList<string> sentences = SentenceSet.Load();
        (string Id, string Name, FliteVoice Voice)[] speakers = [("p1", "Ann", FliteVoice.Slt), ("p2", "Rob", FliteVoice.Rms)];
        // Turns: Ann says sentence 0, Rob 1, Ann 2, Rob 3; 1.2 s of silence between turns.
        var turns = new List<(int Speaker, string Text, short[] Pcm)>();
        for (int i = 0; i < 4; i++)
        {
            string wav = await SpeechSynth.WriteWavAsync(sentences[i], speakers[i % 2].Voice, SpeechSynth.WebRtcRate, _folder);
            using WavReader reader = WavReader.Open(wav);
            turns.Add((i % 2, sentences[i], reader.ReadAll()));
        }

        int pause = 48000 * 12 / 10;
        var tracks = new List<short>[2] { [], [] };
        var windows = new List<(int Speaker, double Start, double End, string Text)>();
        foreach ((int speaker, string text, short[] pcm) in turns)
        {
            int start = tracks[0].Count + pause;
            foreach (List<short> track in tracks)
            {
                track.AddRange(new short[pause]);
            }

            tracks[speaker].AddRange(pcm);
            tracks[1 - speaker].AddRange(new short[pcm.Length]);
            windows.Add((speaker, start / 48000.0, (start + pcm.Length) / 48000.0, text));
        }

        foreach (List<short> track in tracks)
        {
            track.AddRange(new short[pause]);
        }

        List<byte[]>[] packets = [OpusPackets.Encode(tracks[0].ToArray()), OpusPackets.Encode(tracks[1].ToArray())];
        using var engine = new PocketSphinxEngine(new PocketSphinxOptions { MaxDecoders = 2 });
        var listener = new RecordingListener();
        // A queue for the whole of the audio: this test is about what is recognized and for whom; whether a
        // host keeps up in real time is the benchmark's question (and the conference tests').
        await using var pipeline = new CaptionPipeline(new StreamingRecognizer(engine, new RecognizerOptions { AudioQueueChunks = 5000 }), listener, engineHealth: engine);
        // Twice real time in 100 ms batches.
        for (int f = 0; f < packets[0].Count; f++)
        {
            for (int s = 0; s < 2; s++)
            {
                CaptionPushResult result = pipeline.PushOpus(speakers[s].Id, speakers[s].Name, (uint)(f * OpusPackets.FrameSamples + s * 12345), packets[s][f]);
                Assert.Equal(CaptionPushResult.Accepted, result);
            }

            if (f == 0)
            {
                // Both streams open (a decoder loads its model, seconds on a busy host) before the paced pushes go on.
                await listener.WaitForAsync(l => l.Notices.Count(n => n.Kind == CaptionNoticeKind.SpeakerStarted) == 2, TimeSpan.FromSeconds(60));
            }

            if (f % 5 == 4)
            {
                await Task.Delay(50);
            }
        }

        await pipeline.CompleteAsync("end of test");
        IReadOnlyList<CaptionUpdate> captions = listener.Captions;
        foreach (CaptionUpdate c in captions)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{c.DisplayName} {(c.IsFinal ? "FINAL" : "part ")} {c.Start.TotalSeconds:0.00}-{c.End.TotalSeconds:0.00} {c.UtteranceId}: {c.Text}"));
        }

        Assert.DoesNotContain(listener.Notices, n => n.Kind is CaptionNoticeKind.AudioDropped or CaptionNoticeKind.RecognizerFailed or CaptionNoticeKind.SpeakerRefused);
        var finals = captions.Where(c => c.IsFinal && c.Text.Length > 0).ToList();
        var hypotheses = new string[2];
        foreach ((int speaker, double start, double end, string text) in windows)
        {
            // Times are pipeline time; the speakers' clocks started within a few ms of each other at 0.
            var inWindow = finals.Where(c => c.End.TotalSeconds > start && c.Start.TotalSeconds < end).ToList();
            Assert.NotEmpty(inWindow);
            Assert.All(inWindow, c => Assert.Equal(speakers[speaker].Id, c.ParticipantId));
            Assert.All(inWindow, c => Assert.Equal(speakers[speaker].Name, c.DisplayName));
            hypotheses[speaker] += " " + string.Join(' ', inWindow.Select(c => c.Text));
            // The utterance's partials came before its final.
            foreach (CaptionUpdate final in inWindow)
            {
                int at = captions.ToList().IndexOf(final);
                Assert.Contains(captions.Take(at), c => !c.IsFinal && c.UtteranceId == final.UtteranceId);
            }
        }

        for (int s = 0; s < 2; s++)
        {
            string reference = string.Join(' ', windows.Where(w => w.Speaker == s).Select(w => w.Text));
            WordErrors wer = WordErrorRate.Compute(reference, hypotheses[s]);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{speakers[s].Name}: WER {wer.Rate:P1} ({wer.Edits}/{wer.ReferenceWords})"));
            Assert.True(wer.Rate <= 0.25, $"{speakers[s].Name}: WER {wer.Rate:P1}");
        }

        Assert.Equal(finals.Count, pipeline.Transcript.Entries.Count);
    }
}
