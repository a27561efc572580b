namespace Callbridge.PhoneMedia;

/// <summary>Why a telephone-event payload was rejected.</summary>
public enum TelephoneEventParseError
{
    None = 0,

    /// <summary>Fewer than the 4 bytes of one event block (RFC 4733 §2.3).</summary>
    TooShort,
}
