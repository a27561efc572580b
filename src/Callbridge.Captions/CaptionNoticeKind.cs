namespace Callbridge.Captions;

/// <summary>What a <see cref="CaptionNotice"/> reports.</summary>
public enum CaptionNoticeKind
{
    /// <summary>A speaker got a recognizer stream (first audio, or again after a refusal or a failure).</summary>
    SpeakerStarted,

    /// <summary>Every decoder of the engine is in use: this speaker is not captioned until one frees (retried).</summary>
    SpeakerRefused,

    /// <summary>The speaker's recognizer stream failed (engine error); a new stream is opened on the next audio.</summary>
    RecognizerFailed,

    /// <summary>The speech engine restarted a crashed or hung worker; captioning goes on.</summary>
    EngineRestarted,

    /// <summary>The recognizer fell behind and audio of this speaker was dropped (the queue was full).</summary>
    AudioDropped,

    /// <summary>Captioning stopped (normally, or at once on a leave-now order).</summary>
    Stopped,
}
