namespace Callbridge.Rtp;

/// <summary>RFC 8285 constants.</summary>
public static class RtpHeaderExtensions
{
    /// <summary>One-byte form marker (RFC 8285 §4.2).</summary>
    public const ushort OneByteProfile = 0xBEDE;

    /// <summary>Two-byte form marker in the upper 12 bits (RFC 8285 §4.3); the low 4 bits are "appbits".</summary>
    public const ushort TwoByteProfile = 0x1000;

    public static RtpHeaderExtensionForm FormOf(ushort profile) => profile switch
    {
        OneByteProfile => RtpHeaderExtensionForm.OneByte,
        _ when (profile & 0xFFF0) == TwoByteProfile => RtpHeaderExtensionForm.TwoByte,
        _ => RtpHeaderExtensionForm.Other,
    };
}
