namespace Callbridge.Srtp;

/// <summary>Key, salt and trailer sizes of an <see cref="SrtpProfile"/>.</summary>
public static class SrtpProfileInfo
{
    /// <summary>Master key length in bytes (128-bit AES for every supported profile).</summary>
    public static int MasterKeyLength(SrtpProfile profile) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 or SrtpProfile.Aes128CmHmacSha1_32 or SrtpProfile.AeadAes128Gcm => 16,
        _ => throw UnknownProfile(profile),
    };

    /// <summary>Master salt length in bytes: 112 bits for AES-CM (RFC 3711 §8.2), 96 bits for GCM (RFC 7714 §12).</summary>
    public static int MasterSaltLength(SrtpProfile profile) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 or SrtpProfile.Aes128CmHmacSha1_32 => 14,
        SrtpProfile.AeadAes128Gcm => 12,
        _ => throw UnknownProfile(profile),
    };

    /// <summary>Bytes that <c>Protect</c> appends to an RTP packet (the authentication tag; no MKI is used).</summary>
    public static int RtpTrailerLength(SrtpProfile profile) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 => 10,
        SrtpProfile.Aes128CmHmacSha1_32 => 4,
        SrtpProfile.AeadAes128Gcm => 16,
        _ => throw UnknownProfile(profile),
    };

    /// <summary>
    /// Bytes that <c>ProtectRtcp</c> appends to an RTCP packet: the 4-byte E flag + SRTCP index and the tag.
    /// The _32 profile still uses an 80-bit tag for SRTCP (RFC 5764 §4.1.2).
    /// </summary>
    public static int RtcpTrailerLength(SrtpProfile profile) => profile switch
    {
        SrtpProfile.Aes128CmHmacSha1_80 or SrtpProfile.Aes128CmHmacSha1_32 => 4 + 10,
        SrtpProfile.AeadAes128Gcm => 4 + 16,
        _ => throw UnknownProfile(profile),
    };

    /// <summary>Bytes of keying material to export from DTLS for this profile: 2 * (key + salt) (RFC 5764 §4.2).</summary>
    public static int KeyingMaterialLength(SrtpProfile profile) =>
        2 * (MasterKeyLength(profile) + MasterSaltLength(profile));

    /// <summary>True for the profiles this library implements.</summary>
    public static bool IsSupported(SrtpProfile profile) =>
        profile is SrtpProfile.Aes128CmHmacSha1_80 or SrtpProfile.Aes128CmHmacSha1_32 or SrtpProfile.AeadAes128Gcm;

    private static ArgumentOutOfRangeException UnknownProfile(SrtpProfile profile) =>
        new(nameof(profile), profile, "Unsupported SRTP protection profile.");
}
