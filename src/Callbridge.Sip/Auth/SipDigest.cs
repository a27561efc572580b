using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Callbridge.Sip.Headers;

namespace Callbridge.Sip.Auth;

/// <summary>Digest response computation (RFC 2617 §3.2.2, RFC 7616 §3.4.1, RFC 8760 §2):
/// HA1 = H(username:realm:password) (for -sess: H(HA1:nonce:cnonce)), HA2 = H(method:digest-uri),
/// response = H(HA1:nonce:nc:cnonce:qop:HA2) with qop, H(HA1:nonce:HA2) without.</summary>
public static class SipDigest
{
    public static bool IsSupported(string algorithm) =>
        algorithm.ToUpperInvariant() is "MD5" or "MD5-SESS" or "SHA-256" or "SHA-256-SESS";

    public static string ComputeResponse(string algorithm, string username, string realm, string password, string method,
        string uri, string nonce, string? qop, string? nc, string? cnonce)
    {
        ArgumentNullException.ThrowIfNull(algorithm);
        string alg = algorithm.ToUpperInvariant();
        bool sha = alg.StartsWith("SHA-256", StringComparison.Ordinal);
        string ha1 = H(sha, username + ":" + realm + ":" + password);
        if (alg.EndsWith("-SESS", StringComparison.Ordinal)) ha1 = H(sha, ha1 + ":" + nonce + ":" + cnonce);
        string ha2 = H(sha, method + ":" + uri);
        return qop is null ? H(sha, ha1 + ":" + nonce + ":" + ha2) : H(sha, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    private static string H(bool sha256, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
#pragma warning disable CA5351 // MD5 is what the Digest scheme specifies; it is not used for anything else.
        return Convert.ToHexStringLower(sha256 ? SHA256.HashData(bytes) : MD5.HashData(bytes));
#pragma warning restore CA5351
    }

    /// <summary>The Authorization / Proxy-Authorization value answering a challenge (§22.4). qop=auth is
    /// used when offered (RFC 3261 §22.4 prefers it); nc counts uses of the same nonce.</summary>
    public static string CreateAuthorization(SipDigestChallenge challenge, string username, string password, string method,
        string uri, int nonceCount, string? cnonce = null)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        bool useQop = challenge.Qop.Contains("auth", StringComparer.OrdinalIgnoreCase);
        string? qop = useQop ? "auth" : null;
        string? nc = useQop ? nonceCount.ToString("x8", CultureInfo.InvariantCulture) : null;
        cnonce ??= useQop ? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) : null;
        string response = ComputeResponse(challenge.Algorithm, username, challenge.Realm, password, method, uri, challenge.Nonce, qop, nc, cnonce);
        var sb = new StringBuilder(256).Append("Digest username=").Append(SipParameters.Quote(username))
            .Append(", realm=").Append(SipParameters.Quote(challenge.Realm))
            .Append(", nonce=").Append(SipParameters.Quote(challenge.Nonce))
            .Append(", uri=").Append(SipParameters.Quote(uri))
            .Append(", response=").Append(SipParameters.Quote(response))
            .Append(", algorithm=").Append(challenge.Algorithm);
        if (challenge.Opaque is not null) sb.Append(", opaque=").Append(SipParameters.Quote(challenge.Opaque));
        if (useQop) sb.Append(", qop=auth, nc=").Append(nc).Append(", cnonce=").Append(SipParameters.Quote(cnonce!));
        return sb.ToString();
    }
}
