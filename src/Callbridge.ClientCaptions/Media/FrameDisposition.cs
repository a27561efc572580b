namespace Callbridge.ClientCaptions.Media;

/// <summary>What became of one received audio frame.</summary>
public enum FrameDisposition
{
    /// <summary>A JFrame decrypted with the conference key: plaintext Opus goes to the recognizer.</summary>
    Decrypted,

    /// <summary>Clear Opus from a speaker that does not encrypt: passed on as it is.</summary>
    Clear,

    /// <summary>Encrypted, and no key given opens it (or not a frame we understand): dropped, never captioned.</summary>
    Undecryptable,
}
