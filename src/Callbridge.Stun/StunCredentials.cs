using System.Security.Cryptography;
using System.Text;

namespace Callbridge.Stun;

/// <summary>Keys for MESSAGE-INTEGRITY (RFC 8489 §9).</summary>
public static class StunCredentials
{
    /// <summary>Short-term credential (ICE): the key is the password's UTF-8 bytes (RFC 8489 §9.1.1; ICE passwords are ASCII).</summary>
    public static byte[] ShortTermKey(string password) => Encoding.UTF8.GetBytes(password);

    /// <summary>
    /// Long-term credential key MD5(username ":" realm ":" password) (RFC 8489 §9.2.2). The inputs must
    /// already be OpaqueString/SASLprep-processed; this library does not implement those profiles.
    /// </summary>
    public static byte[] LongTermKey(string username, string realm, string password)
    {
#pragma warning disable CA5351 // MD5 is mandated by the STUN long-term credential mechanism.
        return MD5.HashData(Encoding.UTF8.GetBytes($"{username}:{realm}:{password}"));
#pragma warning restore CA5351
    }
}
