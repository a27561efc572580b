using Callbridge.TestSupport;

namespace Callbridge.Speech.Whisper.Tests;

/// <summary>Configuration and installation problems come out of start-up as typed errors.</summary>
public sealed class WhisperStartupErrorTests
{
    [Fact]
    public async Task MissingModelFile_IsAModelMissingConfigurationError()
    {
        string missing = Path.Combine(WhisperTestEnvironment.RunFolder, "no-such-model.bin");

        var ex = await Assert.ThrowsAsync<WhisperEngineException>(() =>
            WhisperEngine.StartAsync(WhisperTestEnvironment.Options(o => o with { ModelPath = missing })));

        Assert.Equal(WhisperEngineError.ModelMissing, ex.Error);
        Assert.True(ex.IsConfigurationError);
        Assert.Contains(missing, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelMissingWhenTheWorkerLoadsIt_IsReportedByTheWorkerAsModelMissing()
    {
        // Past the engine's own check (the file vanished since): the worker's answer is typed the same way.
        string missing = Path.Combine(WhisperTestEnvironment.RunFolder, "vanished-model.bin");
        WhisperOptions options = WhisperTestEnvironment.Options(o => o with { ModelPath = missing });

        var ex = await Assert.ThrowsAsync<WhisperEngineException>(() =>
            WhisperWorkerHost.StartAsync(options, TimeProvider.System, CancellationToken.None));

        Assert.Equal(WhisperEngineError.ModelMissing, ex.Error);
    }

    [Theory]
    [InlineData("random")]
    [InlineData("magic-only")]
    [InlineData("truncated")]
    [InlineData("wrong-shape")]
    public async Task BadModelFile_IsAModelInvalidConfigurationError(string kind)
    {
        string folder = TestEnvironment.NewFolder("whisper-bad-" + kind);
        string path = Path.Combine(folder, "bad.bin");
        byte[] good = await File.ReadAllBytesAsync(WhisperTestEnvironment.ModelPath);
        byte[] bad = kind switch
        {
            "random" => RandomBytes(4096),
            "magic-only" => good[..4],
            "truncated" => good[..(good.Length / 2)],
            // n_audio_ctx 1500 -> 1000: the encoder's positional embedding then has the wrong shape.
            "wrong-shape" => WithInt32(good, 8, 1000),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        await File.WriteAllBytesAsync(path, bad);

        var ex = await Assert.ThrowsAsync<WhisperEngineException>(() =>
            WhisperEngine.StartAsync(WhisperTestEnvironment.Options(o => o with { ModelPath = path })));

        Assert.Equal(WhisperEngineError.ModelInvalid, ex.Error);
        Assert.True(ex.IsConfigurationError);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingWorkerScript_IsATypedErrorNamingWhatToInstall()
    {
        string script = Path.Combine(WhisperTestEnvironment.RunFolder, "no-such-worker.js");

        var ex = await Assert.ThrowsAsync<WhisperEngineException>(() =>
            WhisperEngine.StartAsync(WhisperTestEnvironment.Options(o => o with { WorkerScript = script })));

        Assert.Equal(WhisperEngineError.WorkerScriptMissing, ex.Error);
        Assert.Contains("@fugood/whisper.node@1.1.3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkerWithoutItsNpmPackage_IsATypedErrorNamingThePackage()
    {
        // The real worker script, alone in a folder with no node_modules above it.
        string folder = Path.Combine(Path.GetTempPath(), "cb-whisper-nopkg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string script = Path.Combine(folder, "worker.js");
            File.Copy(WhisperTestEnvironment.WorkerScript, script);

            var ex = await Assert.ThrowsAsync<WhisperEngineException>(() =>
                WhisperEngine.StartAsync(WhisperTestEnvironment.Options(o => o with { WorkerScript = script, NodeModulesDirectory = null })));

            Assert.Equal(WhisperEngineError.WorkerPackageMissing, ex.Error);
            Assert.Contains("@fugood/whisper.node", ex.Message, StringComparison.Ordinal);
            Assert.Equal(WhisperOptions.WorkerPackages, ex.Install);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task MissingNode_IsATypedErrorNamingTheDebianPackage()
    {
        var ex = await Assert.ThrowsAsync<WhisperEngineException>(() =>
            WhisperEngine.StartAsync(WhisperTestEnvironment.Options(o => o with { NodeExecutable = "/nonexistent/bin/node" })));

        Assert.Equal(WhisperEngineError.NodeMissing, ex.Error);
        Assert.Equal("Debian package nodejs", ex.Install);
    }

    [Fact]
    public void InvalidOptions_AreRejectedNamingTheOption()
    {
        WhisperOptions good = WhisperTestEnvironment.Options();
        good.Validate();

        foreach ((WhisperOptions bad, string option) in new[]
                 {
                     (good with { ModelPath = "" }, "ModelPath"),
                     (good with { WorkerScript = " " }, "WorkerScript"),
                     (good with { Threads = 0 }, "Threads"),
                     (good with { MaxDecoders = 0 }, "MaxDecoders"),
                     (good with { MaxUtterance = TimeSpan.FromSeconds(61) }, "MaxUtterance"),
                     (good with { SendQueueFrames = 0 }, "SendQueueFrames"),
                     (good with { TranscribeTimeout = TimeSpan.Zero }, "TranscribeTimeout"),
                     (good with { MaxAttempts = 0 }, "MaxAttempts"),
                     (good with { Language = "" }, "Language"),
                     (good with { PartialInterval = TimeSpan.FromMilliseconds(100) }, "PartialInterval"),
                     (good with { MaxPartialsInFlight = -1 }, "MaxPartialsInFlight"),
                 })
        {
            var ex = Assert.Throws<WhisperEngineException>(bad.Validate);
            Assert.Equal(WhisperEngineError.InvalidOptions, ex.Error);
            Assert.Contains(option, ex.Message, StringComparison.Ordinal);
        }
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    private static byte[] WithInt32(byte[] source, int offset, int value)
    {
        byte[] copy = (byte[])source.Clone();
        BitConverter.TryWriteBytes(copy.AsSpan(offset), value);
        return copy;
    }
}
