using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Callbridge.Ffmpeg;
using Callbridge.Storage.Local;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Media;
using Microsoft.Extensions.Options;

namespace Callbridge.Gateways.Recording.Tests;

/// <summary>A recording process killed with SIGKILL, and the next start finishing what it left.</summary>
[Collection(RealMediaCollection.Name)]
public sealed class CrashRecoveryTests
{
    [Fact]
    public async Task A_recording_killed_with_sigkill_is_finished_and_uploaded_on_the_next_start_losing_at_most_2_s()
    {
        string root = TestEnvironment.NewFolder("crash");
        string spool = Path.Combine(root, "spool"), blobs = Path.Combine(root, "blobs");
        var (ogg, ivf) = await BeepFlash.WriteAsync(root, Media.Seconds, Media.Marks);
        string host = Path.Combine(AppContext.BaseDirectory, "Callbridge.Gateways.Recording.CrashHost.dll");
        Assert.True(File.Exists(host), host);

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { host, spool, blobs, "rec-killed", ogg, ivf }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        double lastSent = 0;
        using (var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            // 8 s of media: past one loop of the clip, several clusters and upload rounds.
            while (lastSent < 8.0)
            {
                string? line = await process.StandardOutput.ReadLineAsync(limit.Token);
                if (line is null) Assert.Fail("the recording process ended early: " + await process.StandardError.ReadToEndAsync());
                if (line.StartsWith("sent ", StringComparison.Ordinal)) lastSent = double.Parse(line[5..], CultureInfo.InvariantCulture);
            }
        }
        process.Kill(); // SIGKILL on Linux: no finally block, no flush, no goodbye.
        await process.WaitForExitAsync();
        Assert.Equal(137, process.ExitCode); // 128 + SIGKILL

        // Blocks of the growing track files went up while recording; nothing is visible as final yet.
        var sink = new LocalFolderBlobSink(blobs);
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(blobs, ".staging"), "*.blk", SearchOption.AllDirectories));
        Assert.Empty(await sink.ListAsync("", default).ToListAsync());

        // The block size the killed process staged with, so its blocks are resumed rather than sent again.
        var options = new RecordingOptions { SpoolFolder = spool, UploadBlockSize = 16 * 1024, KeepSpool = true, CompositeWidth = 320, CompositeHeight = 240 };
        var factory = new RecordingGatewayFactory(new TestSupport.Conference.ScriptedConference("4242"), sink, Options.Create(options));
        RecoveredRecording recovered = Assert.Single(await factory.RecoverAsync(default));
        Assert.Null(recovered.Error);

        string prefix = "acme/4242/rec-killed";
        JsonElement manifest = JsonDocument.Parse((await sink.GetAsync(prefix + "/manifest.json", default))!).RootElement;
        Assert.True(manifest.GetProperty("recovered").GetBoolean());
        Assert.Equal("recovered-after-crash", manifest.GetProperty("end_reason").GetString());
        foreach (JsonElement track in manifest.GetProperty("tracks").EnumerateArray())
        {
            double recorded = track.GetProperty("end_seconds").GetDouble() - track.GetProperty("start_seconds").GetDouble();
            double missing = lastSent - recorded;
            Assert.InRange(missing, -0.2, 2.0);
            // The blob is the spool file, byte for byte.
            string file = Path.Combine(spool, "rec-killed", Path.GetFileName(track.GetProperty("file").GetString()!));
            Assert.Equal(await File.ReadAllBytesAsync(file), await sink.GetAsync(track.GetProperty("file").GetString()!, default));
        }
        Assert.Equal(2, manifest.GetProperty("tracks").GetArrayLength());

        string participant = Path.Combine(root, "alice.webm");
        await File.WriteAllBytesAsync(participant, (await sink.GetAsync(prefix + "/participants/participant-alice.webm", default))!);
        MediaProbe probe = await new FfprobeRunner().ProbeAsync(participant);
        Assert.Equal(("opus", "vp8"), (Assert.Single(probe.Audio).Codec, Assert.Single(probe.Video).Codec));
        Assert.InRange(probe.Duration!.Value.TotalSeconds, lastSent - 2.0, lastSent + 0.5);
        Assert.NotNull(await sink.GetAsync(prefix + "/composite.webm", default));

        // A second start finds nothing left to do.
        Assert.Empty(await factory.RecoverAsync(default));
    }
}
