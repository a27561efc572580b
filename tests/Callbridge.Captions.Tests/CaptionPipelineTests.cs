using System.Text;
using System.Text.Json;
using Callbridge.Captions.Transcript;
using Callbridge.Gateways;
using Callbridge.Speech.Recognition;
using Callbridge.TestSupport.Media;

namespace Callbridge.Captions.Tests;

public sealed class CaptionPipelineTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task EachSpeakerGetsPartialsThenAFinalWithItsOwnNameAndTimes()
    {
        var engine = new ScriptedEngine();
        var listener = new RecordingListener();
        var time = new ManualTimeProvider();
        await using var pipeline = new CaptionPipeline(new StreamingRecognizer(engine), listener, timeProvider: time);
        // Alice speaks 0.0-1.5 s, Bob 2.0-3.5 s; both send frames all along, as WebRTC senders do.
        var alice = new Sender(pipeline, "p-alice", "Alice", 1000);
        var bob = new Sender(pipeline, "p-bob", "Bob", 777_000);
        List<byte[]> aliceAudio = OpusPackets.Encode([.. OpusPackets.Tone(TimeSpan.FromSeconds(1.5)), .. OpusPackets.Silence(TimeSpan.FromSeconds(3))]);
        List<byte[]> bobAudio = OpusPackets.Encode([.. OpusPackets.Silence(TimeSpan.FromSeconds(2)), .. OpusPackets.Tone(TimeSpan.FromSeconds(1.5)), .. OpusPackets.Silence(TimeSpan.FromSeconds(1))]);
        for (int i = 0; i < aliceAudio.Count; i++)
        {
            Assert.Equal(CaptionPushResult.Accepted, alice.Push(aliceAudio[i]));
            Assert.Equal(CaptionPushResult.Accepted, bob.Push(bobAudio[i]));
        }

        await listener.WaitForAsync(l => l.Captions.Count(c => c.IsFinal) == 2, Wait);
        await pipeline.CompleteAsync("done");

        foreach ((string id, string name, double start, double end) in new[] { ("p-alice", "Alice", 0.0, 1.5), ("p-bob", "Bob", 2.0, 3.5) })
        {
            var mine = listener.Captions.Where(c => c.ParticipantId == id).ToList();
            Assert.All(mine, c => Assert.Equal(name, c.DisplayName));
            Assert.Single(mine.Select(c => c.UtteranceId).Distinct());
            CaptionUpdate final = Assert.Single(mine, c => c.IsFinal);
            Assert.Same(final, mine[^1]);
            var partials = mine.Where(c => !c.IsFinal).ToList();
            Assert.True(partials.Count >= 3, $"{partials.Count} partials for {name}");
            // Partials at most 0.5 s of speech apart, growing.
            Assert.All(partials.Zip(partials.Skip(1)), p => Assert.InRange((p.Second.End - p.First.End).TotalSeconds, 0.49, 0.51));
            // The VAD's 200 ms pre-roll and 30 ms onset: the start is within a quarter second of the speech.
            Assert.InRange(final.Start.TotalSeconds, start - 0.25, start + 0.05);
            Assert.InRange(final.End.TotalSeconds, end - 0.05, end + 0.1);
            Assert.Equal(0.75, final.Confidence);
            Assert.StartsWith("word word word word", final.Text, StringComparison.Ordinal);
        }

        Assert.Equal(2, pipeline.Transcript.Entries.Count);
        Assert.Equal(["p-alice", "p-bob"], pipeline.Transcript.Entries.Select(e => e.ParticipantId));
        Assert.All(pipeline.Transcript.Entries, e => Assert.Equal("end-of-speech", e.Reason));
        Assert.Equal(2, listener.Notices.Count(n => n.Kind == CaptionNoticeKind.SpeakerStarted));
    }

    [Fact]
    public async Task RtpGapsAreFilledWithSilenceAndLongOnesReanchorTheClock()
    {
        var engine = new ScriptedEngine();
        var listener = new RecordingListener();
        var time = new ManualTimeProvider();
        await using var pipeline = new CaptionPipeline(new StreamingRecognizer(engine), listener, timeProvider: time);
        var alice = new Sender(pipeline, "a", null, 0, pace: time);
        List<byte[]> burst = OpusPackets.Encode([.. OpusPackets.Tone(TimeSpan.FromSeconds(1)), .. OpusPackets.Silence(TimeSpan.FromSeconds(1))]);
        // Each burst is recognised before the next is sent, as it would be at a real sender's pace: the three
        // together (330 chunks with the filled gap) would exceed the stream's 250-chunk queue whenever its reader
        // is held up, and this test is about placement, not back-pressure.
        alice.PushAll(burst);
        await listener.WaitForAsync(l => l.Captions.Count(c => c.IsFinal) == 1, Wait);
        // DTX-like pause of 3 s (no packets): filled with silence, so the next speech starts at 5 s.
        alice.Skip(TimeSpan.FromSeconds(3));
        alice.PushAll(burst);
        await listener.WaitForAsync(l => l.Captions.Count(c => c.IsFinal) == 2, Wait);
        // A 60 s stall: longer than MaxGapFill, so the clock re-anchors to the next packet's arrival (100 s).
        time.Advance(TimeSpan.FromSeconds(100) - pipeline.Elapsed);
        alice.Skip(TimeSpan.FromSeconds(60));
        alice.PushAll(burst);
        await listener.WaitForAsync(l => l.Captions.Count(c => c.IsFinal) == 3, Wait);

        var finals = listener.Captions.Where(c => c.IsFinal).ToList();
        Assert.InRange(finals[0].Start.TotalSeconds, 0, 0.05);
        Assert.InRange(finals[1].Start.TotalSeconds, 4.75, 5.05);
        Assert.InRange(finals[1].End.TotalSeconds, 5.95, 6.1);
        Assert.InRange(finals[2].Start.TotalSeconds, 99.75, 100.05);
        Assert.Equal(3, finals.Select(f => f.UtteranceId).Distinct().Count());
        // One stream throughout: gaps do not reopen it.
        Assert.Equal(1, engine.Leases);
    }

    [Fact]
    public async Task ABacklogDeliveredAtOnceIsPlacedWhenItWasSpokenNotWhenItArrived()
    {
        var engine = new ScriptedEngine();
        var listener = new RecordingListener();
        var time = new ManualTimeProvider();
        await using var pipeline = new CaptionPipeline(new StreamingRecognizer(engine), listener, timeProvider: time);
        time.Advance(TimeSpan.FromSeconds(10));
        // Speech from 0.6 s into the stream; the first 1.5 s of it reach the pipeline together at 10 s (a
        // subscription's backlog), the rest one packet every 20 ms: the stream began at 8.5 s.
        List<byte[]> audio = OpusPackets.Encode([.. OpusPackets.Silence(TimeSpan.FromSeconds(0.6)), .. OpusPackets.Tone(TimeSpan.FromSeconds(1.4)), .. OpusPackets.Silence(TimeSpan.FromSeconds(1))]);
        var alice = new Sender(pipeline, "a", "Alice", 0);
        int backlog = 75;
        alice.PushAll(audio.Take(backlog));
        var live = new Sender(pipeline, "a", "Alice", (uint)(backlog * OpusPackets.FrameSamples), pace: time);
        live.PushAll(audio.Skip(backlog));
        await listener.WaitForAsync(l => l.Captions.Any(c => c.IsFinal), Wait);

        CaptionUpdate final = listener.Captions.Single(c => c.IsFinal);
        Assert.InRange(final.Start.TotalSeconds, 9.1 - 0.25, 9.1 + 0.05);
        Assert.InRange(final.End.TotalSeconds, 10.5 - 0.05, 10.5 + 0.1);
    }

    [Fact]
    public async Task LateAndDuplicateFramesAreRefusedAndBadPacketsAreTypedErrors()
    {
        var engine = new ScriptedEngine();
        await using var pipeline = new CaptionPipeline(new StreamingRecognizer(engine), new RecordingListener(), timeProvider: new ManualTimeProvider());
        List<byte[]> audio = OpusPackets.Encode(OpusPackets.Tone(TimeSpan.FromMilliseconds(100)));
        Assert.Equal(CaptionPushResult.Accepted, pipeline.PushOpus("a", null, 1920, audio[0]));
        Assert.Equal(CaptionPushResult.Late, pipeline.PushOpus("a", null, 1920, audio[1]));
        Assert.Equal(CaptionPushResult.Late, pipeline.PushOpus("a", null, 960, audio[1]));
        Assert.Equal(CaptionPushResult.Accepted, pipeline.PushOpus("a", null, 2880, audio[1]));
        Assert.Equal(CaptionPushResult.DecodeFailed, pipeline.PushOpus("a", null, 3840, []));
        // TOC code 3 with a frame count of 0 (RFC 6716 section 3.2.5: invalid).
        Assert.Equal(CaptionPushResult.DecodeFailed, pipeline.PushOpus("a", null, 3840, [0x0b, 0x00]));
    }

    [Fact]
    public async Task RandomAndMutatedPacketsOnlyEverGiveTypedResults()
    {
        // Big enough queue for every frame: the loop checks decoding, not back-pressure.
        var engine = new ScriptedEngine();
        var listener = new RecordingListener();
        await using var pipeline = new CaptionPipeline(new StreamingRecognizer(engine, new RecognizerOptions { AudioQueueChunks = 200_000 }),
            listener, timeProvider: new ManualTimeProvider());
        byte[][] seeds = [.. OpusPackets.Encode(OpusPackets.Tone(TimeSpan.FromMilliseconds(200)))];
        var rng = new Random(20261122);
        var seen = new Dictionary<CaptionPushResult, int>();
        byte[] scratch = new byte[1500];
        uint rtp = 0;
        for (int i = 0; i < 100_000; i++)
        {
            int length;
            if (i % 2 == 0)
            {
                length = rng.Next(0, 200);
                rng.NextBytes(scratch.AsSpan(0, length));
            }
            else
            {
                byte[] seed = seeds[rng.Next(seeds.Length)];
                length = seed.Length;
                seed.CopyTo(scratch, 0);
                for (int m = rng.Next(1, 4); m > 0; m--)
                {
                    scratch[rng.Next(length)] ^= (byte)(1 << rng.Next(8));
                }
            }

            // Mostly in order, sometimes repeated, reordered or after a gap (each gap up to 1 s is fed as silence).
            rtp += (uint)(rng.Next(20) == 0 ? rng.Next(-2000, 48_000) : 960);
            CaptionPushResult result = pipeline.PushOpus("fuzz", null, rtp, scratch.AsSpan(0, length));
            seen[result] = seen.GetValueOrDefault(result) + 1;
        }

        Assert.Subset(new HashSet<CaptionPushResult> { CaptionPushResult.Accepted, CaptionPushResult.DecodeFailed, CaptionPushResult.Late, CaptionPushResult.QueueFull }, seen.Keys.ToHashSet());
        Assert.True(seen.GetValueOrDefault(CaptionPushResult.Accepted) > 10_000);
        Assert.True(seen.GetValueOrDefault(CaptionPushResult.DecodeFailed) > 1_000);
        Assert.True(pipeline.IsRunning);
    }

    [Fact]
    public async Task ConcurrencyIsBoundedAndARefusedSpeakerGetsTheNextFreeStream()
    {
        var engine = new ScriptedEngine(maxDecoders: 1);
        var listener = new RecordingListener();
        var time = new ManualTimeProvider();
        await using var pipeline = new CaptionPipeline(new StreamingRecognizer(engine), listener, timeProvider: time);
        var alice = new Sender(pipeline, "a", "Alice", 0);
        var bob = new Sender(pipeline, "b", "Bob", 0);
        List<byte[]> speech = OpusPackets.Encode([.. OpusPackets.Tone(TimeSpan.FromSeconds(1)), .. OpusPackets.Silence(TimeSpan.FromSeconds(1))]);

        Assert.Equal(CaptionPushResult.Accepted, alice.Push(speech[0]));
        await listener.WaitForAsync(l => l.Notices.Any(n => n.Kind == CaptionNoticeKind.SpeakerStarted), Wait);
        // Streams open in the background (a model may take seconds to load): the first frame waits for it.
        Assert.Equal(CaptionPushResult.Accepted, bob.Push(speech[0]));
        await listener.WaitForAsync(l => l.Notices.Any(n => n.Kind == CaptionNoticeKind.SpeakerRefused), Wait);
        Assert.Equal(CaptionPushResult.SpeakerRefused, bob.Push(speech[1]));
        CaptionNotice refused = Assert.Single(listener.Notices, n => n.Kind == CaptionNoticeKind.SpeakerRefused);
        Assert.Equal("b", refused.ParticipantId);
        Assert.Contains("Bob", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(["a"], pipeline.ActiveSpeakers);

        await pipeline.EndSpeakerAsync("a");
        // Not before the retry interval: opening a stream is not tried on every frame.
        Assert.Equal(CaptionPushResult.SpeakerRefused, bob.Push(speech[2]));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(CaptionPushResult.Accepted, bob.Push(speech[3]));
        await listener.WaitForAsync(l => l.Notices.Count(n => n.Kind == CaptionNoticeKind.SpeakerStarted) == 2, Wait);
        for (int i = 4; i < speech.Count; i++)
        {
            Assert.Equal(CaptionPushResult.Accepted, bob.Push(speech[i]));
        }

        await listener.WaitForAsync(l => l.Captions.Any(c => c.IsFinal && c.ParticipantId == "b"), Wait);
        Assert.Equal(["b"], pipeline.ActiveSpeakers);
        Assert.Single(listener.Notices, n => n.Kind == CaptionNoticeKind.SpeakerRefused);
    }

    [Fact]
    public async Task AFailedStreamIsReportedAndReplacedWithoutLosingTheCaptionStream()
    {
        var engine = new ScriptedEngine { FailNextDecoderAfterSamples = 8000 };
        var listener = new RecordingListener();
        await using var pipeline = new CaptionPipeline(new StreamingRecognizer(engine), listener, timeProvider: new ManualTimeProvider());
        var alice = new Sender(pipeline, "a", "Alice", 0);
        List<byte[]> speech = OpusPackets.Encode([.. OpusPackets.Tone(TimeSpan.FromSeconds(1)), .. OpusPackets.Silence(TimeSpan.FromSeconds(1))]);
        alice.PushAll(speech);
        await listener.WaitForAsync(l => l.Notices.Any(n => n.Kind == CaptionNoticeKind.RecognizerFailed), Wait);
        Assert.Contains("scripted decoder failure", listener.Notices.Single(n => n.Kind == CaptionNoticeKind.RecognizerFailed).Detail, StringComparison.Ordinal);

        alice.PushAll(speech);
        await listener.WaitForAsync(l => l.Captions.Any(c => c.IsFinal), Wait);
        CaptionUpdate final = listener.Captions.Single(c => c.IsFinal);
        Assert.StartsWith("a#2.", final.UtteranceId, StringComparison.Ordinal);
        Assert.Equal(2, engine.Leases);
        Assert.Equal(2, listener.Notices.Count(n => n.Kind == CaptionNoticeKind.SpeakerStarted));
    }

    [Fact]
    public async Task EngineRestartsAndFaultsBecomeNotices()
    {
        var engine = new ScriptedEngine();
        var listener = new RecordingListener();
        await using var pipeline = new CaptionPipeline(new StreamingRecognizer(engine), listener, engineHealth: engine, timeProvider: new ManualTimeProvider());
        pipeline.CheckEngineHealth();
        Assert.Empty(listener.Notices);
        engine.Restarts = 1;
        pipeline.CheckEngineHealth();
        CaptionNotice restarted = Assert.Single(listener.Notices);
        Assert.Equal(CaptionNoticeKind.EngineRestarted, restarted.Kind);
        Assert.Contains("scripted", restarted.Detail, StringComparison.Ordinal);
        engine.Healthy = false;
        pipeline.CheckEngineHealth();
        Assert.Equal(2, listener.Notices.Count);
        Assert.Contains("scripted fault", listener.Notices[1].Detail, StringComparison.Ordinal);
        Assert.Equal(new SpeechEngineHealth("scripted", false, 1, "scripted fault"), pipeline.EngineHealth);
    }

    [Fact]
    public async Task StopNowDropsEverythingAfterAndTheTranscriptSaysWhenAndWhy()
    {
        var engine = new ScriptedEngine();
        var listener = new RecordingListener();
        var time = new ManualTimeProvider();
        await using var pipeline = new CaptionPipeline(new StreamingRecognizer(engine), listener, timeProvider: time);
        var alice = new Sender(pipeline, "a", "Alice <CEO>", 0);
        alice.PushAll(OpusPackets.Encode([.. OpusPackets.Tone(TimeSpan.FromSeconds(1)), .. OpusPackets.Silence(TimeSpan.FromSeconds(1))]));
        await listener.WaitForAsync(l => l.Captions.Any(c => c.IsFinal), Wait);
        // A second utterance is in progress when the leave-now order comes.
        alice.PushAll(OpusPackets.Encode(OpusPackets.Tone(TimeSpan.FromSeconds(1.2))));
        await listener.WaitForAsync(l => l.Captions.Count(c => !c.IsFinal) >= 4, Wait);
        time.Advance(TimeSpan.FromSeconds(42));
        CaptionTranscript transcript = await pipeline.StopNowAsync("e2ee-enabled", "The conference turned on end-to-end encryption.");
        int delivered = listener.Captions.Count;

        Assert.Equal(CaptionPushResult.Stopped, alice.Push(OpusPackets.Encode(OpusPackets.Tone(TimeSpan.FromMilliseconds(20)))[0]));
        await Task.Delay(200);
        Assert.Equal(delivered, listener.Captions.Count);
        Assert.False(pipeline.IsRunning);
        Assert.Empty(pipeline.ActiveSpeakers);
        Assert.Single(transcript.Entries);
        TranscriptStop stop = transcript.Stop!;
        Assert.Equal("e2ee-enabled", stop.ReasonCode);
        Assert.True(stop.Immediate);
        Assert.Equal(TimeSpan.FromSeconds(42), stop.At);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 6, 0, 42, TimeSpan.Zero), stop.WallClock);
        Assert.Contains(transcript.Notices, n => n.Kind == CaptionNoticeKind.Stopped);

        string vtt = TranscriptWebVtt.Write(transcript);
        Assert.StartsWith("WEBVTT\n\n1\n00:00:00.", vtt, StringComparison.Ordinal);
        Assert.Contains("<v Alice &lt;CEO&gt;>word word", vtt, StringComparison.Ordinal);
        Assert.Contains("NOTE Captioning stopped at 00:00:42.000 (2026-11-22T06:00:42.0000000+00:00) (reason e2ee-enabled): The conference turned on end-to-end encryption.\n", vtt, StringComparison.Ordinal);
        Assert.Equal(1, vtt.Split("-->").Length - 1);

        using JsonDocument json = JsonDocument.Parse(TranscriptJson.Write(transcript));
        JsonElement root = json.RootElement;
        Assert.Equal("e2ee-enabled", root.GetProperty("stop").GetProperty("reasonCode").GetString());
        Assert.Equal(42.0, root.GetProperty("stop").GetProperty("at").GetDouble());
        JsonElement caption = Assert.Single(root.GetProperty("captions").EnumerateArray());
        Assert.Equal("Alice <CEO>", caption.GetProperty("displayName").GetString());
        Assert.Equal(0.75, caption.GetProperty("confidence").GetDouble());
        Assert.Equal("end-of-speech", caption.GetProperty("reason").GetString());
        Assert.Contains(root.GetProperty("notices").EnumerateArray(), n => n.GetProperty("kind").GetString() == "Stopped");
    }

    [Fact]
    public async Task CompleteGivesTheUtteranceInProgressItsFinal()
    {
        var engine = new ScriptedEngine();
        var listener = new RecordingListener();
        var time = new ManualTimeProvider();
        await using var pipeline = new CaptionPipeline(new StreamingRecognizer(engine), listener, timeProvider: time);
        new Sender(pipeline, "a", "Alice", 0).PushAll(OpusPackets.Encode(OpusPackets.Tone(TimeSpan.FromSeconds(1))));
        time.Advance(TimeSpan.FromSeconds(3));
        CaptionTranscript transcript = await pipeline.CompleteAsync("Stopped by the API.");
        TranscriptEntry entry = Assert.Single(transcript.Entries);
        Assert.Equal("end-of-stream", entry.Reason);
        Assert.Null(transcript.Stop!.ReasonCode);
        Assert.False(transcript.Stop.Immediate);
        Assert.Equal(TimeSpan.FromSeconds(3), transcript.Stop.At);
        Assert.Equal(CaptionPushResult.Stopped, pipeline.PushOpus("a", null, 999_999, OpusPackets.Encode(OpusPackets.Tone(TimeSpan.FromMilliseconds(20)))[0]));
        Assert.DoesNotContain("NOTE", Encoding.UTF8.GetString(TranscriptWebVtt.WriteUtf8(new CaptionTranscript(DateTimeOffset.UnixEpoch))), StringComparison.Ordinal);
    }

    /// <summary>
    /// One participant's sender: consecutive RTP timestamps, 20 ms apart. With <paramref name="pace"/>, packets
    /// arrive 20 ms apart (the clock is moved forward to each), as from a live sender; without, every packet
    /// arrives at the clock's current time, as a backlog does.
    /// </summary>
    private sealed class Sender(CaptionPipeline pipeline, string id, string? name, uint firstRtp, ManualTimeProvider? pace = null)
    {
        private static readonly TimeSpan FrameDuration = TimeSpan.FromTicks(OpusPackets.FrameSamples * TimeSpan.TicksPerSecond / 48000);
        private uint _rtp = firstRtp;
        private TimeSpan? _due;

        public CaptionPushResult Push(byte[] packet)
        {
            if (pace is not null)
            {
                // A sender that fell behind the clock (the first packet, the end of a stall) resumes now.
                TimeSpan now = pipeline.Elapsed;
                if (_due is null || now > _due)
                {
                    _due = now;
                }
                else if (now < _due)
                {
                    pace.Advance(_due.Value - now);
                }

                _due += FrameDuration;
            }

            CaptionPushResult result = pipeline.PushOpus(id, name, _rtp, packet);
            _rtp += OpusPackets.FrameSamples;
            return result;
        }

        public void PushAll(IEnumerable<byte[]> packets)
        {
            foreach (byte[] packet in packets)
            {
                Assert.Equal(CaptionPushResult.Accepted, Push(packet));
            }
        }

        public void Skip(TimeSpan duration)
        {
            _rtp += (uint)(48000 * duration.TotalSeconds);
            _due += duration;
        }
    }
}
