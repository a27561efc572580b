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

    /// <summary>
    /// As <see cref="WriteWavAsync(string, FliteVoice, int, string, string?)"/> with silence before and after the
    /// speech (sox <c>pad</c>): Chromium loops its fake microphone, and a recognizer ends utterances on silence.
    /// </summary>
    public static async Task<string> WriteWavAsync(string text, FliteVoice voice, int sampleRate, string folder, TimeSpan silenceBefore, TimeSpan silenceAfter)
    {
        var speech = await WriteWavAsync(text, voice, sampleRate, folder).ConfigureAwait(false);
        var output = Path.Combine(folder, "padded-" + Path.GetFileName(speech));
        await ProgramRunner.RunCheckedAsync(
            RequiredPrograms.Sox,
            [speech, output, "pad", silenceBefore.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture), silenceAfter.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        return output;
    }
}
