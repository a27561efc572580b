using System.Runtime.InteropServices;

namespace Callbridge.Srtp.Native;

/// <summary><c>srtp_crypto_policy_t</c> (srtp.h): six 32-bit fields.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SrtpCryptoPolicy
{
    public uint CipherType;
    public int CipherKeyLength;
    public uint AuthType;
    public int AuthKeyLength;
    public int AuthTagLength;
    public int SecurityServices;
}

/// <summary>
/// <c>srtp_policy_t</c> of libsrtp 2.x on LP64 Linux (<c>unsigned long</c> is 64 bits, hence <c>nuint</c>).
/// Sequential layout reproduces the C padding: 128 bytes in total.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SrtpPolicy
{
    /// <summary><c>srtp_ssrc_type_t</c>: 2 = any inbound SSRC, 3 = any outbound SSRC.</summary>
    public int SsrcType;
    public uint SsrcValue;
    public SrtpCryptoPolicy Rtp;
    public SrtpCryptoPolicy Rtcp;
    public byte* Key;
    public nint Keys;
    public nuint NumMasterKeys;
    public nint DeprecatedEkt;
    public nuint WindowSize;
    public int AllowRepeatTx;
    public int* EncryptedHeaderExtensionIds;
    public int EncryptedHeaderExtensionCount;
    public nint Next;

    public const int SsrcAnyInbound = 2;
    public const int SsrcAnyOutbound = 3;
}
