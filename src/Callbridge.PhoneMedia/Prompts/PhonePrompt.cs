namespace Callbridge.PhoneMedia;

/// <summary>The bridge's spoken messages; each has Prompts/Text/NAME.txt made into a WAV at build time.</summary>
public enum PhonePrompt
{
    Welcome,
    EnterPin,
    WrongPin,
    LockedOut,

    /// <summary>Dial-in to an end-to-end encrypted conference: refused.</summary>
    E2eeRefused,

    /// <summary>End-to-end encryption switched on during the call: the call ends.</summary>
    E2eeTurnedOn,
    Goodbye,
}
