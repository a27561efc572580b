using System.Globalization;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Browser;
using Callbridge.TestSupport.Janus;
using Callbridge.TestSupport.Media;
using Xunit.Abstractions;

namespace Callbridge.Cli.Tests;

/// <summary>
/// The built <c>callbridge captions join</c> as a participant runs it, against a real Janus room that requires E2EE
/// and a real Chromium speaker whose page encrypts with the JFrame transform (src/Callbridge.FrameCrypto/Browser).
/// </summary>
public sealed class ClientCaptionsCliTests(JanusFixture janus, BrowserFixture browser, ITestOutputHelper output)
    : IClassFixture<JanusFixture>, IClassFixture<BrowserFixture>
{
    private const string Key = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";

    [Fact]
    public Task Captions_join_prints_an_encrypted_Chromium_speakers_words_with_the_key_from_stdin() => FailureLogs.RunAsync(output, async () =>
    {
        long room = await janus.CreateRoomAsync(requireE2ee: true);
        string folder = TestEnvironment.NewFolder("cli-client-captions");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Browser", "jframe-transform.js"), Path.Combine(browser.FilesFolder, "jframe-transform.js"), overwrite: true);
        string wav = await SpeechSynth.WriteWavAsync("the weather is nice today", FliteVoice.Slt, SpeechSynth.WebRtcRate, folder, TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1.5));
        await using BrowserParticipant alice = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "alice", FakeAudioWav = wav });
        ParticipantJoinResult joined = await alice.JoinAsync(new ParticipantJoinOptions
        {
            Server = janus.HttpUri.ToString(),
            Room = room,
            Display = "Alice",
            PublishAudio = true,
            E2ee = new ParticipantE2eeOptions
            {
                Module = browser.Site.Url("files/jframe-transform.js").ToString(),
                Options = new Dictionary<string, object> { ["keys"] = new Dictionary<string, string> { ["0"] = Key }, ["currentIndex"] = 0 },
            },
        });
        Assert.True(joined.Ok, joined.Error);
        await alice.WaitForStatsAsync(s => s.Out.PacketsSent > 25, TimeSpan.FromSeconds(15));

        string vtt = Path.Combine(folder, "meeting.vtt");
        var (exit, stdout, stderr) = await CliTests.RunAsync(Key + "\n", "captions", "join", "--janus", janus.HttpUri.ToString(),
            "--room", room.ToString(CultureInfo.InvariantCulture), "--name", "Dana", "--key-stdin", "--duration", "14", "--vtt", vtt);
        output.WriteLine(stdout);
        output.WriteLine(stderr);
        Assert.True(exit == 0, stderr);
        string[] lines = stdout.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("Alice: ", StringComparison.Ordinal) && Matched(l) >= 2);
        Assert.True(Matched(await File.ReadAllTextAsync(vtt)) >= 2);
        Assert.DoesNotContain(Key[..16], stdout + stderr + await File.ReadAllTextAsync(vtt), StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("Cannot decrypt", StringComparison.Ordinal));
    }, janus, browser);

    private static int Matched(string text)
    {
        var heard = text.ToLowerInvariant().Split([' ', '\n', '>', '<', ':'], StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        return new[] { "weather", "nice", "today" }.Count(heard.Contains);
    }
}
