using Callbridge.ClientCaptions.Commands;
using Callbridge.ClientCaptions.Tests.Support;
using Callbridge.Conference;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.Speech.PocketSphinx;
using Callbridge.Speech.Whisper.Tests;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Conference;
using Callbridge.TestSupport.Media;

namespace Callbridge.ClientCaptions.Tests.Session;

/// <summary><c>captions join</c> as the CLI runs it, with a scripted conference in place of Janus.</summary>
public sealed class ClientCaptionsCommandTests
{
    private const string K0 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    [Theory]
    [InlineData(new[] { "--room", "1234" }, "--janus is required")]
    [InlineData(new[] { "--janus", "http://127.0.0.1:8088/janus" }, "--room is required")]
    [InlineData(new[] { "--janus", "ftp://x", "--room", "1" }, "http(s) URL")]
    [InlineData(new[] { "--janus", "http://127.0.0.1:8088/janus", "--room", "abc" }, "positive room number")]
    [InlineData(new[] { "--janus", "http://127.0.0.1:8088/janus", "--room", "1", "--key-file", "a", "--key-stdin" }, "one way only")]
    [InlineData(new[] { "--janus", "http://127.0.0.1:8088/janus", "--room", "1", "--key", K0 }, "never taken on the command line")]
    [InlineData(new[] { "--janus", "http://127.0.0.1:8088/janus", "--room", "1", "--duration", "-3" }, "--duration")]
    [InlineData(new[] { "--janus", "http://127.0.0.1:8088/janus", "--room", "1", "--bogus" }, "unknown argument '--bogus'")]
    [InlineData(new[] { "--janus", "http://127.0.0.1:8088/janus", "--room", "1", "--engine", "whisper" }, "needs --model")]
    [InlineData(new[] { "--janus", "http://127.0.0.1:8088/janus", "--room", "1", "--engine", "vosk" }, "pocketsphinx or whisper")]
    [InlineData(new[] { "--janus", "http://127.0.0.1:8088/janus", "--room", "1", "--model", "m.bin" }, "go with --engine whisper")]
    public async Task Usage_errors_exit_1_and_say_what_is_wrong_without_echoing_a_key(string[] args, string expected)
    {
        var (exit, stdout, stderr) = await RunAsync(args, new ScriptedConference("1"));
        Assert.Equal(ClientCaptionsCommand.ExitUsage, exit);
        Assert.Empty(stdout);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(K0, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_says_how_to_run_it_and_that_the_key_is_never_logged_or_sent()
    {
        var (exit, stdout, _) = await RunAsync(["--help"], new ScriptedConference("1"));
        Assert.Equal(0, exit);
        Assert.Contains("usage: captions join --janus <url> --room <number>", stdout, StringComparison.Ordinal);
        Assert.Contains("client-side captions", stdout, StringComparison.Ordinal);
        Assert.Contains("not logged", stdout, StringComparison.Ordinal);
        Assert.Contains("sent anywhere", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_key_variable_exits_2_and_a_refused_conference_exits_3()
    {
        var noKey = await RunAsync(["--janus", "http://127.0.0.1:1/janus", "--room", "1234", "--key-env", "CB_TEST_KEY"], new ScriptedConference("1234"), variables: []);
        Assert.Equal(ClientCaptionsCommand.ExitKey, noKey.Exit);
        Assert.Contains("CB_TEST_KEY", noKey.Stderr, StringComparison.Ordinal);

        var refused = new ScriptedConference("1234") { JoinFailure = new ConferenceException(ConferenceErrorKind.Rejected, "Janus refused (403): not allowed") };
        var denied = await RunAsync(["--janus", "http://127.0.0.1:1/janus", "--room", "1234", "--key-env"], refused, variables: new() { [ClientCaptionsCommand.DefaultKeyVariable] = K0 });
        Assert.Equal(ClientCaptionsCommand.ExitConference, denied.Exit);
        Assert.Contains("Rejected", denied.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(K0, denied.Stdout + denied.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Key_on_stdin_captions_the_speaker_for_the_requested_duration_and_writes_the_vtt_file()
    {
        string folder = TestEnvironment.NewFolder("captions-join");
        string vtt = Path.Combine(folder, "out.vtt");
        var speech = await SpeechPackets.SpeakAsync("the weather is nice today", FliteVoice.Slt);
        var conference = new ScriptedConference("1234", requiresE2ee: true);
        using var alice = new JFrameSender();
        alice.SetKey(Convert.FromHexString(K0), 5);
        var feeder = Task.Run(async () =>
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (conference.Sessions.Count == 0 || conference.Sessions[0].Subscriptions.Count == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the command never subscribed");
                await Task.Delay(20);
            }

            var room = conference.Sessions[0];
            room.Join("7001", "Alice", ("0", TrackKind.Audio, "opus"));
            for (int i = 0; i < speech.Count; i++)
            {
                uint rtp = (uint)(i + 1) * 960;
                var wire = new byte[speech[i].Length + JFrameSender.MaxOverhead];
                alice.Transform(speech[i], 0x42, rtp, wire);
                room.Deliver("7001/0", wire, rtp);
                if (i % 5 == 4)
                {
                    await Task.Delay(100);
                }
            }
        });

        var (exit, stdout, stderr) = await RunAsync(
            ["--janus", "http://127.0.0.1:1/janus", "--room", "1234", "--key-stdin", "--vtt", vtt, "--duration", "8", "--name", "Dana"],
            conference, stdin: $"5={K0}\n");
        Assert.True(exit == 0, stderr);
        await feeder;
        Assert.Contains("Joined conference 1234 as 'Dana'", stdout, StringComparison.Ordinal);
        Assert.Contains("requires end-to-end encryption", stdout, StringComparison.Ordinal);
        Assert.Contains("Captioning stopped: the requested duration elapsed.", stdout, StringComparison.Ordinal);
        Assert.Contains("caption(s) written to " + vtt, stdout, StringComparison.Ordinal);
        var lines = stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("Alice: ", StringComparison.Ordinal) && Words.Matched(l, "weather", "nice", "today") >= 2);
        Assert.Contains(lines, l => l.Contains($"Speaker 7001: {speech.Count} frame(s) decrypted", StringComparison.Ordinal));
        Assert.True(Words.Matched(await File.ReadAllTextAsync(vtt), "weather", "nice", "today") >= 2);
        Assert.DoesNotContain(K0[..12], stdout + stderr + await File.ReadAllTextAsync(vtt), StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whisper_engine_with_the_tiny_generated_model_captions_the_speaker_through_the_worker()
    {
        string folder = TestEnvironment.NewFolder("captions-join-whisper");
        string model = TinyWhisperModel.Write(folder);
        string vtt = Path.Combine(folder, "out.vtt");
        var speech = await SpeechPackets.SpeakAsync("the weather is nice today", FliteVoice.Slt);
        var conference = new ScriptedConference("1234");
        var feeder = Task.Run(async () =>
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (conference.Sessions.Count == 0 || conference.Sessions[0].Subscriptions.Count == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the command never subscribed");
                await Task.Delay(20);
            }

            var room = conference.Sessions[0];
            room.Join("7001", "Alice", ("0", TrackKind.Audio, "opus"));
            for (int i = 0; i < speech.Count; i++)
            {
                room.Deliver("7001/0", speech[i], (uint)(i + 1) * 960);
                if (i % 5 == 4)
                {
                    await Task.Delay(100);
                }
            }
        });

        // No --whisper-worker: the command finds scripts/tools/whisper/worker.js above its folder and the
        // packages in .tools/whisper, as in a checkout after scripts/install-deps.sh.
        var (exit, stdout, stderr) = await RunAsync(
            ["--janus", "http://127.0.0.1:1/janus", "--room", "1234", "--vtt", vtt, "--duration", "15", "--engine", "whisper", "--model", model],
            conference);
        Assert.True(exit == 0, stderr);
        await feeder;
        // The zero-weight model's text is tokens such as "w38488", not words: the plumbing is what is proven.
        var lines = stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("Alice: w", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains($"Speaker 7001: 0 frame(s) decrypted, {speech.Count} clear", StringComparison.Ordinal));
        Assert.Contains("<v Alice>w", await File.ReadAllTextAsync(vtt), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whisper_engine_with_a_missing_model_exits_4_naming_the_file()
    {
        string missing = Path.Combine(TestEnvironment.NewFolder("captions-join-whisper"), "ggml-base.en.bin");
        var (exit, stdout, stderr) = await RunAsync(
            ["--janus", "http://127.0.0.1:1/janus", "--room", "1234", "--engine", "whisper", "--model", missing], new ScriptedConference("1234"));
        Assert.Equal(ClientCaptionsCommand.ExitEngine, exit);
        Assert.Contains("speech engine unavailable", stderr, StringComparison.Ordinal);
        Assert.Contains(missing, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Joined conference", stdout, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string[] args, ScriptedConference conference, string stdin = "",
        Dictionary<string, string>? variables = null)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var environment = new ClientCaptionsCommand.CommandEnvironment
        {
            Interactive = false,
            GetVariable = name => variables?.GetValueOrDefault(name),
            CreateEngine = speakers => new PocketSphinxEngine(new PocketSphinxOptions { MaxDecoders = speakers }),
            CreateConnector = _ => new ClientCaptionsCommand.ConnectorLease(conference),
        };
        int exit = await ClientCaptionsCommand.RunAsync(args, new StringReader(stdin), stdout, stderr, environment, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
