using System.Diagnostics;
using Callbridge.Conference;
using Callbridge.Speech.Whisper;
using Callbridge.Speech.Whisper.Tests;
using Callbridge.Storage.Local;
using Callbridge.TestSupport.Conference;
using Callbridge.TestSupport.Media;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Captions.Tests;

/// <summary>
/// The gateway on the Whisper engine: the real worker (node + whisper.cpp from npm, scripts/install-deps.sh) with
/// the generated tiny model, a scripted conference delivering flite speech as Opus.
/// </summary>
public sealed class WhisperCaptionsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task KillingTheWorkerMidStream_IsReportedAndTheCaptionStreamGoesOn()
    {
        string folder = TestEnvironment.NewFolder("captions-whisper");
        var options = new CaptionsOptions
        {
            WhisperModelPath = TinyWhisperModel.Write(folder),
            WhisperWorkerScript = Path.Combine(TestEnvironment.RepoRoot, "scripts", "tools", "whisper", "worker.js"),
            WhisperNodeModulesDirectory = Path.Combine(TestEnvironment.RepoRoot, ".tools", "whisper", "node_modules"),
            WhisperThreads = 1,
            MaxSpeakers = 2,
        };
        Assert.Equal(CaptionsEngineKind.Whisper, options.ResolvedEngine);
        await using var engine = new CaptionsEngine(options);
        var conference = new ScriptedConference("42");
        var observer = new CaptionsObserver();
        var factory = new CaptionsGatewayFactory(conference, new LocalFolderBlobSink(Path.Combine(folder, "blobs")), Options.Create(options), engine);
        IGateway gateway = await factory.StartAsync(new GatewayLaunch("t", "42", "w-1", null, observer), CancellationToken.None);
        ScriptedConferenceSession session = conference.Sessions[0];
        session.Join("p-ann", "Ann", ("0", TrackKind.Audio, "opus"));
        short[] speech = await OpusPackets.SayAsync("The quick brown fox jumps over the lazy dog.", FliteVoice.Slt, folder);
        List<byte[]> utterance = OpusPackets.Encode([.. speech, .. OpusPackets.Silence(TimeSpan.FromSeconds(1))]);
        uint rtp = 0;

        async Task SpeakAsync(IEnumerable<byte[]> packets)
        {
            // Real time, 100 ms at a time.
            int i = 0;
            foreach (byte[] packet in packets)
            {
                session.Deliver("p-ann/0", packet, rtp);
                rtp += 960;
                if (++i % 5 == 0)
                {
                    await Task.Delay(100);
                }
            }
        }

        await SpeakAsync(utterance);
        await observer.WaitForAsync(o => o.Captions.Count(c => c.Caption.IsFinal) == 1, Wait);

        // The worker dies in the middle of the second utterance.
        var whisper = (WhisperEngine)engine.Engine!;
        int firstPid = whisper.WorkerProcessId!.Value;
        await SpeakAsync(utterance.Take(utterance.Count / 3));
        using (Process worker = Process.GetProcessById(firstPid))
        {
            Assert.Equal("node", worker.ProcessName);
            worker.Kill();
            await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }

        await SpeakAsync(utterance.Skip(utterance.Count / 3));
        await observer.WaitForAsync(o => o.Captions.Count(c => c.Caption.IsFinal) == 2, Wait);
        await observer.WaitForAsync(o => o.Notices.Any(n => n.Code == "engine-restarted"), TimeSpan.FromSeconds(10));
        var finals = observer.Captions.Select(c => c.Caption).Where(c => c.IsFinal).ToList();
        Assert.All(finals, f => Assert.False(string.IsNullOrWhiteSpace(f.Text)));
        Assert.All(finals, f => Assert.Equal("Ann", f.DisplayName));
        Assert.True(finals[1].Start >= finals[0].End);
        Assert.NotEqual(firstPid, whisper.WorkerProcessId);
        Assert.Contains("whisper", observer.Notices.First(n => n.Code == "engine-restarted").Detail, StringComparison.Ordinal);

        GatewayOutcome outcome = await gateway.StopAsync(CancellationToken.None);
        Assert.Equal(GatewayRunState.Stopped, outcome.FinalState);
        Assert.Equal(2, outcome.Outputs.Count);
    }
}
