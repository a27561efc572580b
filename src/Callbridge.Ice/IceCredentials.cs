using System.Security.Cryptography;

namespace Callbridge.Ice;

/// <summary>ice-ufrag and ice-pwd (RFC 8839 §5.4: ufrag 4-256 ice-chars, pwd 22-256 ice-chars).</summary>
public sealed record IceCredentials(string UsernameFragment, string Password)
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>8-char ufrag and 24-char password (above the 22-char minimum, 144 bits of randomness).</summary>
    public static IceCredentials Generate() =>
        new(RandomNumberGenerator.GetString(IceChars, 8), RandomNumberGenerator.GetString(IceChars, 24));
}
