using System.Globalization;

namespace Callbridge.TestSupport.Media;

/// <summary>Speech WAVs from flite, resampled by sox to the rate the consumer needs.</summary>
public static class SpeechSynth
{
    /// <summary>48 kHz: WebRTC/Opus (Chromium's fake microphone).</summary>
    public const int WebRtcRate = 48000;

    /// <summary>8 kHz: G.711 telephony (baresip aufile, sipp).</summary>
    public const int TelephonyRate = 8000;

    /// <summary>Mono 16-bit WAV of <paramref name="text"/> at <paramref name="sampleRate"/> Hz in <paramref name="folder"/>.</summary>
    public static async Task<string> WriteWavAsync(string text, FliteVoice voice, int sampleRate, string folder, string? fileName = null)
    {
        RequiredPrograms.Require(RequiredPrograms.Flite);
        RequiredPrograms.Require(RequiredPrograms.Sox);
        Directory.CreateDirectory(folder);
        var voiceName = voice.ToString().ToLowerInvariant();
        var name = fileName ?? string.Create(CultureInfo.InvariantCulture, $"speech-{voiceName}-{sampleRate}-{Guid.NewGuid():N}.wav");
        var raw = Path.Combine(folder, Path.GetFileNameWithoutExtension(name) + ".flite.wav");
        var output = Path.Combine(folder, name);
        await ProgramRunner.RunCheckedAsync(RequiredPrograms.Flite, ["-voice", voiceName, "-t", text, "-o", raw], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        await ProgramRunner.RunCheckedAsync(
            RequiredPrograms.Sox,
            [raw, "-r", sampleRate.ToString(CultureInfo.InvariantCulture), "-c", "1", "-b", "16", "-e", "signed-integer", output],
            TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        File.Delete(raw);
        return output;
    }
}
