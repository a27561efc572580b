using Callbridge.TestSupport;
using Callbridge.TestSupport.Media;

namespace Callbridge.Speech.Whisper.Tests;

/// <summary>
/// The worker from scripts/tools/whisper with its packages from .tools/whisper (scripts/install-deps.sh),
/// a tiny ggml model written once per run, and flite speech.
/// </summary>
internal static class WhisperTestEnvironment
{
    private static readonly Lazy<string> Folder = new(() => TestEnvironment.NewFolder("whisper"));
    private static readonly Lazy<string> Model = new(() => TinyWhisperModel.Write(Folder.Value));
    private static readonly SemaphoreSlim SpeechLock = new(1, 1);
    private static short[]? _speech;

    public static string RunFolder => Folder.Value;

    public static string ModelPath => Model.Value;

    public static string WorkerScript => Path.Combine(TestEnvironment.RepoRoot, "scripts", "tools", "whisper", "worker.js");

    public static string NodeModules => Path.Combine(TestEnvironment.RepoRoot, ".tools", "whisper", "node_modules");

    public static WhisperOptions Options(Func<WhisperOptions, WhisperOptions>? adjust = null)
    {
        var options = new WhisperOptions
        {
            ModelPath = ModelPath,
            WorkerScript = WorkerScript,
            NodeModulesDirectory = NodeModules,
            Threads = 1,
            MaxDecoders = 2,
            StartTimeout = TimeSpan.FromSeconds(20),
            TranscribeTimeout = TimeSpan.FromSeconds(30),
        };
        return adjust is null ? options : adjust(options);
    }

    /// <summary>About 3 s of flite speech at 16 kHz mono (sox), as PCM.</summary>
    public static async Task<short[]> SpeechAsync()
    {
        await SpeechLock.WaitAsync();
        try
        {
            if (_speech is null)
            {
                string wav = await SpeechSynth.WriteWavAsync("the quick brown fox jumps over the lazy dog", FliteVoice.Slt, 16000, RunFolder);
                WavAudio audio = WavAudio.Read(wav);
                Assert.Equal(16000, audio.SampleRate);
                Assert.Equal(1, audio.Channels);
                _speech = audio.Samples.Select(s => (short)Math.Clamp(s * 32768f, short.MinValue, short.MaxValue)).ToArray();
            }

            return _speech;
        }
        finally
        {
            SpeechLock.Release();
        }
    }
}
