using Callbridge.ClientCaptions.Keys;
using Callbridge.ClientCaptions.Media;
using Callbridge.ClientCaptions.Tests.Media;
using Callbridge.ClientCaptions.Tests.Support;
using Callbridge.Conference;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.Speech.PocketSphinx;
using Callbridge.Speech.Recognition;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Conference;
using Callbridge.TestSupport.Media;

namespace Callbridge.ClientCaptions.Tests.Session;

/// <summary>
/// The whole module on a scripted conference: flite speech, libopus, the JFrame sender transform on the speaker's
/// side, and on the participant's side the key source, the decryptor, the shared captions pipeline with the real
/// PocketSphinx engine (Debian pocketsphinx-en-us), the terminal output and the WebVTT file.
/// </summary>
public sealed class ClientCaptionsSessionTests
{
    private const string K0 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private const string K1 = "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf";
    private const string Wrong = "5555555555555555555555555555555555555555555555555555555555555555";

    [Fact]
    public async Task With_the_right_key_an_encrypted_speaker_is_captioned_and_the_WebVTT_file_holds_the_words()
    {
        var speech = await SpeechPackets.SpeakAsync("the weather is nice today", FliteVoice.Slt);
        using var alice = new JFrameSender();
        alice.SetKey(Convert.FromHexString(K0), 0);
        var call = await ScriptedCall.StartAsync($"0={K0}\n");
        ScriptedConferenceSession room = call.Room;
        room.Join("alice", "Alice", ("0", TrackKind.Audio, "opus"));
        await call.SpeakAsync("alice/0", speech, alice);
        room.SetPolicy(requiresE2ee: true);
        room.SetPolicy(requiresE2ee: false);
        await WaitUntilAsync(() => call.Output.Text.Contains("no longer requires", StringComparison.Ordinal));
        var (result, output) = await call.StopAsync();

        Assert.True(Words.Matched(output.Text, "weather", "nice", "today") >= 2, output.Text);
        // Only the change is reported: the repeated "requires" was already known from the join.
        Assert.Single(output.Text.Split('\n'), l => l.Contains("no longer requires end-to-end encryption", StringComparison.Ordinal));
        Assert.DoesNotContain("now requires", output.Text, StringComparison.Ordinal);
        Assert.Contains("Alice: ", output.Text, StringComparison.Ordinal);
        Assert.Empty(output.CannotDecryptReports);
        Assert.Equal(speech.Count, result.Speakers["alice"].Decrypted);
        Assert.Equal(0, result.Speakers["alice"].Undecryptable);
        string vtt = await File.ReadAllTextAsync(call.VttPath);
        Assert.StartsWith("WEBVTT", vtt, StringComparison.Ordinal);
        Assert.Contains("<v Alice>", vtt, StringComparison.Ordinal);
        Assert.True(Words.Matched(vtt.Replace("<v Alice>", " ", StringComparison.Ordinal), "weather", "nice", "today") >= 2, vtt);
        Assert.DoesNotContain(K0[..16], output.Text + vtt, StringComparison.OrdinalIgnoreCase);
        Assert.True(room.HasLeft);
        Assert.Equal(BotRole.Subscriber, room.Request.Role);
    }

    [Fact]
    public async Task With_a_wrong_key_an_encrypted_speaker_gets_no_captions_and_one_notice_while_a_clear_speaker_is_captioned()
    {
        var aliceSpeech = await SpeechPackets.SpeakAsync("the weather is nice today", FliteVoice.Slt);
        var bobSpeech = await SpeechPackets.SpeakAsync("the meeting will start in five minutes", FliteVoice.Rms);
        using var alice = new JFrameSender();
        alice.SetKey(Convert.FromHexString(K0), 0);
        var call = await ScriptedCall.StartAsync($"0={Wrong}\n");
        call.Room.Join("alice", "Alice", ("0", TrackKind.Audio, "opus"));
        call.Room.Join("bob", "Bob", ("0", TrackKind.Audio, "opus"));
        await Task.WhenAll(call.SpeakAsync("alice/0", aliceSpeech, alice), call.SpeakAsync("bob/0", bobSpeech, sender: null));
        var (result, output) = await call.StopAsync();

        var report = Assert.Single(output.CannotDecryptReports);
        Assert.Equal("alice", report.Participant);
        Assert.Single(output.Text.Split('\n'), l => l.Contains("Cannot decrypt Alice's media", StringComparison.Ordinal));
        Assert.DoesNotContain(output.Captions, c => c.ParticipantId == "alice");
        Assert.DoesNotContain(output.Text.Split('\n'), l => l.StartsWith("Alice:", StringComparison.Ordinal));
        Assert.Equal(0, result.Speakers["alice"].Decrypted);
        Assert.Equal(UndecryptableReason.WrongKey, result.Speakers["alice"].LastUndecryptableReason);
        Assert.True(Words.Matched(string.Join(' ', output.Captions.Where(c => c.IsFinal).Select(c => c.Text)), "meeting", "start", "five", "minutes") >= 2, output.Text);
        Assert.Equal(bobSpeech.Count, result.Speakers["bob"].Clear);
        Assert.DoesNotContain(Wrong[..16], output.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Captions_continue_across_a_ratchet_and_a_rotation_to_a_new_key_index_added_to_the_key_file()
    {
        var first = await SpeechPackets.SpeakAsync("the weather is nice today", FliteVoice.Slt);
        var second = await SpeechPackets.SpeakAsync("the meeting will start in five minutes", FliteVoice.Slt);
        var third = await SpeechPackets.SpeakAsync("we need to finish the report by friday", FliteVoice.Slt);
        using var alice = new JFrameSender();
        alice.SetKey(Convert.FromHexString(K0), 0);
        var call = await ScriptedCall.StartAsync($"0={K0}\n");
        call.Room.Join("alice", "Alice", ("0", TrackKind.Audio, "opus"));
        await call.SpeakAsync("alice/0", first, alice);

        // A participant joined: Alice ratchets her key under the same index; nobody sends the new key.
        Assert.True(alice.RatchetCurrentKey());
        await call.SpeakAsync("alice/0", second, alice);

        // A participant left: a new key under index 1 reaches the participant's key file, then Alice switches.
        await File.AppendAllTextAsync(call.KeyPath, $"1={K1}\n");
        await WaitUntilAsync(() => call.Output.Text.Contains("Added conference key index 1", StringComparison.Ordinal));
        alice.SetKey(Convert.FromHexString(K1), 1);
        await call.SpeakAsync("alice/0", third, alice);
        var (result, output) = await call.StopAsync();

        string finals = string.Join(' ', output.Captions.Where(c => c.IsFinal).Select(c => c.Text));
        Assert.True(Words.Matched(finals, "weather", "nice", "today") >= 2, output.Text);
        Assert.True(Words.Matched(finals, "meeting", "start", "five", "minutes") >= 2, output.Text);
        Assert.True(Words.Matched(finals, "need", "finish", "report", "friday") >= 2, output.Text);
        Assert.Equal(first.Count + second.Count + third.Count, result.Speakers["alice"].Decrypted);
        Assert.Equal(1, result.Speakers["alice"].Ratcheted);
        Assert.Equal(1, result.Speakers["alice"].LastKeySlot);
        Assert.Empty(output.CannotDecryptReports);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 15 s");
            await Task.Delay(25);
        }
    }

    /// <summary>A captions run on a scripted conference with a key file, fed at real time.</summary>
    private sealed class ScriptedCall
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Dictionary<string, uint> _rtp = [];
        private Task<ClientCaptionsResult> _run = null!;
        private PocketSphinxEngine _engine = null!;

        public ScriptedConferenceSession Room { get; private set; } = null!;

        public RecordingOutput Output { get; } = new();

        public string KeyPath { get; private set; } = "";

        public string VttPath { get; private set; } = "";

        public static async Task<ScriptedCall> StartAsync(string keyFile)
        {
            var call = new ScriptedCall();
            string folder = TestEnvironment.NewFolder("client-captions");
            call.KeyPath = Path.Combine(folder, "conference.key");
            call.VttPath = Path.Combine(folder, "captions.vtt");
            await File.WriteAllTextAsync(call.KeyPath, keyFile);
            var conference = new ScriptedConference("4321", requiresE2ee: true);
            call._engine = new PocketSphinxEngine(new PocketSphinxOptions { MaxDecoders = 2 });
            var options = new ClientCaptionsOptions { ConferenceId = "4321", DisplayName = "Dana's captions", WebVttPath = call.VttPath };
            call._run = Task.Run(() => ClientCaptionsSession.RunAsync(conference, new StreamingRecognizer(call._engine),
                ConferenceKeySource.FromFile(call.KeyPath, TimeSpan.FromMilliseconds(100)), options, call.Output, cancellationToken: call._stop.Token));
            await WaitUntilAsync(() => conference.Sessions.Count == 1 && conference.Sessions[0].Subscriptions.Count == 1 || call._run.IsCompleted);
            Assert.False(call._run.IsFaulted, call._run.Exception?.ToString());
            call.Room = conference.Sessions[0];
            return call;
        }

        /// <summary>
        /// Delivers 20 ms packets (encrypted when a sender is given) in 100 ms batches at real time, as a conference
        /// does: faster, a loaded machine's recognizer falls behind and the pipeline drops audio.
        /// </summary>
        public async Task SpeakAsync(string trackId, IReadOnlyList<byte[]> packets, JFrameSender? sender)
        {
            for (int i = 0; i < packets.Count; i++)
            {
                uint rtp;
                lock (_rtp)
                {
                    rtp = _rtp.GetValueOrDefault(trackId) + 960;
                    _rtp[trackId] = rtp;
                }

                byte[] wire = sender is null ? packets[i] : AudioFrameDecryptorTests.Encrypt(sender, packets[i], rtp);
                Room.Deliver(trackId, wire, rtp, ssrc: 0x1234);
                if (i % 5 == 4)
                {
                    await Task.Delay(100);
                }
            }
        }

        public async Task<(ClientCaptionsResult Result, RecordingOutput Output)> StopAsync()
        {
            await _stop.CancelAsync();
            var result = await _run.WaitAsync(TimeSpan.FromSeconds(60));
            _engine.Dispose();
            return (result, Output);
        }
    }
}
