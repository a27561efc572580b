namespace Callbridge.Gateways.Captions;

/// <summary>Which speech engine the captions gateway runs.</summary>
public enum CaptionsEngineKind
{
    /// <summary>Whisper when <see cref="CaptionsOptions.WhisperModelPath"/> is set, else PocketSphinx.</summary>
    Auto,

    /// <summary>In-process CMU PocketSphinx with Debian's pocketsphinx-en-us model: the embedded default.</summary>
    PocketSphinx,

    /// <summary>whisper.cpp in a Node worker process; needs a ggml model file.</summary>
    Whisper,
}
