namespace Callbridge.ClientCaptions.Media;

/// <summary>Why a frame could not be turned into Opus.</summary>
public enum UndecryptableReason
{
    None,

    /// <summary>The frame is a JFrame and no conference key was given.</summary>
    NoKey,

    /// <summary>The frame is a JFrame that none of the keys given (nor 8 ratchet steps of them) opens.</summary>
    WrongKey,

    /// <summary>The frame names a key index for which no key was given (the sender rotated to a key we lack).</summary>
    UnknownKeyIndex,

    /// <summary>The frame is neither a JFrame nor clear Opus (another E2EE format such as SFrame, or garbage).</summary>
    NotJFrameOrOpus,
}
