namespace Callbridge.TestSupport.Browser;

/// <summary>How to launch one Chromium participant (each participant is its own browser process, since fake media is a launch flag).</summary>
public sealed class ParticipantOptions
{
    /// <summary>Shown in logs and page title.</summary>
    public required string Name { get; init; }

    /// <summary>WAV played as the fake microphone (looped by Chromium); null uses Chromium's beep.</summary>
    public string? FakeAudioWav { get; init; }

    /// <summary>Y4M played as the fake camera; null uses Chromium's test pattern.</summary>
    public string? FakeVideoY4m { get; init; }

    /// <summary>Extra Chromium flags.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];
}
