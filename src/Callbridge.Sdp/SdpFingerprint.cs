namespace Callbridge.Sdp;

/// <summary>a=fingerprint (RFC 8122 §5): hash function and uppercase hex bytes separated by colons.</summary>
public sealed record SdpFingerprint(string Algorithm, string Value)
{
    public static bool TryParse(string value, out SdpFingerprint? fingerprint)
    {
        fingerprint = null;
        string[] f = SdpText.Fields(value);
        if (f.Length != 2 || !SdpText.IsToken(f[0]))
        {
            return false;
        }

        // fingerprint = 2UHEX *(":" 2UHEX); lowercase is accepted from lenient peers.
        string[] bytes = f[1].Split(':');
        if (bytes.Length < 16 || !bytes.All(b => b.Length == 2 && char.IsAsciiHexDigit(b[0]) && char.IsAsciiHexDigit(b[1])))
        {
            return false;
        }

        fingerprint = new SdpFingerprint(f[0].ToLowerInvariant(), f[1].ToUpperInvariant());
        return true;
    }

    /// <summary>Formats a certificate digest as RFC 8122 wants it.</summary>
    public static SdpFingerprint FromDigest(string algorithm, ReadOnlySpan<byte> digest) =>
        new(algorithm, string.Join(':', digest.ToArray().Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture))));

    public override string ToString() => Algorithm + " " + Value;
}
