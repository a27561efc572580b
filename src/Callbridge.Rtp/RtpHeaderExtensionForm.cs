namespace Callbridge.Rtp;

/// <summary>RFC 8285 header extension forms.</summary>
public enum RtpHeaderExtensionForm
{
    /// <summary>No X bit.</summary>
    None = 0,
    /// <summary>Profile 0xBEDE: 4-bit id (1..14), 1..16 data bytes (RFC 8285 §4.2).</summary>
    OneByte,
    /// <summary>Profile 0x100 + 4 app bits: 8-bit id (1..255), 0..255 data bytes (RFC 8285 §4.3).</summary>
    TwoByte,
    /// <summary>Some other RFC 3550 §5.3.1 profile: the body is opaque.</summary>
    Other,
}
