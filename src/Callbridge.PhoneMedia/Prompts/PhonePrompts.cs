using System.Collections.Frozen;
using System.Reflection;
using Callbridge.Audio.Wav;

namespace Callbridge.PhoneMedia;

/// <summary>
/// The prompts as 8 kHz mono PCM. <see cref="LoadDefault"/> reads the WAVs flite made at build time,
/// embedded in this assembly; <see cref="Load"/> reads a folder of NAME.wav recordings instead (shipped
/// studio prompts). Immutable once loaded, shared by every call.
/// </summary>
public sealed class PhonePrompts
{
    private static readonly Lazy<PhonePrompts> s_default = new(LoadEmbedded);

    private readonly FrozenDictionary<PhonePrompt, short[]> _audio;

    private PhonePrompts(Dictionary<PhonePrompt, short[]> audio) => _audio = audio.ToFrozenDictionary();

    public ReadOnlyMemory<short> this[PhonePrompt prompt] => _audio[prompt];

    /// <summary>The prompts generated at build time (texts in Prompts/Text of this project).</summary>
    public static PhonePrompts LoadDefault() => s_default.Value;

    /// <summary>Reads NAME.wav for every <see cref="PhonePrompt"/> from <paramref name="folder"/>; each must be 8 kHz mono 16-bit.</summary>
    public static PhonePrompts Load(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var audio = new Dictionary<PhonePrompt, short[]>();
        foreach (PhonePrompt prompt in Enum.GetValues<PhonePrompt>())
        {
            string path = Path.Combine(folder, prompt + ".wav");
            using FileStream stream = File.OpenRead(path);
            audio[prompt] = Read(stream, path);
        }

        return new PhonePrompts(audio);
    }

    public TimeSpan DurationOf(PhonePrompt prompt) =>
        TimeSpan.FromSeconds((double)_audio[prompt].Length / PhoneRtpSession.ClockRate);

    private static PhonePrompts LoadEmbedded()
    {
        Assembly assembly = typeof(PhonePrompts).Assembly;
        var audio = new Dictionary<PhonePrompt, short[]>();
        foreach (PhonePrompt prompt in Enum.GetValues<PhonePrompt>())
        {
            string name = "Callbridge.PhoneMedia.Prompts." + prompt + ".wav";
            using Stream stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"Prompt {name} is not embedded; the build runs flite (Debian package flite) to make it.");
            audio[prompt] = Read(stream, name);
        }

        return new PhonePrompts(audio);
    }

    private static short[] Read(Stream stream, string name)
    {
        using WavReader reader = WavReader.Open(stream, leaveOpen: true);
        if (reader.Format.SampleRate != PhoneRtpSession.ClockRate || reader.Format.Channels != 1)
        {
            throw new InvalidDataException($"Prompt {name} is {reader.Format.SampleRate} Hz x {reader.Format.Channels}; the phone leg plays 8000 Hz mono.");
        }

        return reader.ReadAll();
    }
}
