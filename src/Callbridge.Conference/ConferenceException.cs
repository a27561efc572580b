namespace Callbridge.Conference;

/// <summary>Why a conference operation failed, in terms a gateway can act on.</summary>
public enum ConferenceErrorKind
{
    /// <summary>The conference id is not one this SFU can have (e.g. not a number for Janus).</summary>
    InvalidId,

    /// <summary>No such conference on the SFU.</summary>
    NotFound,

    /// <summary>The SFU refused the bot (policy, capacity, authorization).</summary>
    Rejected,

    /// <summary>The SFU could not be reached or answered with something unusable.</summary>
    SfuUnavailable,
}

public sealed class ConferenceException(ConferenceErrorKind kind, string message, Exception? inner = null) : Exception(message, inner)
{
    public ConferenceErrorKind Kind { get; } = kind;
}
