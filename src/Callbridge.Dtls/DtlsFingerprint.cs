using System.Security.Cryptography;

namespace Callbridge.Dtls;

/// <summary>
/// A certificate fingerprint as carried by SDP <c>a=fingerprint</c> (RFC 8122 §5):
/// <c>hash-func SP fingerprint</c>, fingerprint = uppercase hex pairs joined by colons.
/// </summary>
public sealed class DtlsFingerprint : IEquatable<DtlsFingerprint>
{
    private readonly byte[] _value;

    private DtlsFingerprint(DtlsFingerprintHash hash, byte[] value)
    {
        Hash = hash;
        _value = value;
    }

    public DtlsFingerprintHash Hash { get; }

    public ReadOnlySpan<byte> Value => _value;

    /// <summary>The fingerprint of a DER-encoded certificate with the given hash function.</summary>
    public static DtlsFingerprint Compute(DtlsFingerprintHash hash, ReadOnlySpan<byte> certificateDer) => hash switch
    {
        DtlsFingerprintHash.Sha1 => new(hash, SHA1.HashData(certificateDer)),
        DtlsFingerprintHash.Sha224 => new(hash, Sha224(certificateDer)),
        DtlsFingerprintHash.Sha256 => new(hash, SHA256.HashData(certificateDer)),
        DtlsFingerprintHash.Sha384 => new(hash, SHA384.HashData(certificateDer)),
        DtlsFingerprintHash.Sha512 => new(hash, SHA512.HashData(certificateDer)),
        _ => throw new ArgumentOutOfRangeException(nameof(hash), hash, "Unknown fingerprint hash."),
    };

    /// <summary>True when <paramref name="certificateDer"/> hashes to this fingerprint (constant-time compare).</summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer)
    {
        DtlsFingerprint actual = Compute(Hash, certificateDer);
        return CryptographicOperations.FixedTimeEquals(actual._value, _value);
    }

    /// <summary>Parses the value of an <c>a=fingerprint</c> attribute, e.g. <c>sha-256 AB:CD:...</c> (RFC 8122 §5).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out DtlsFingerprint? fingerprint, out DtlsFingerprintError error)
    {
        fingerprint = null;
        text = text.Trim();
        int space = text.IndexOf(' ');
        if (space <= 0)
        {
            error = DtlsFingerprintError.MissingSeparator;
            return false;
        }

        // RFC 8122 §5: hash-func is a token compared case-insensitively.
        ReadOnlySpan<char> name = text[..space];
        ReadOnlySpan<char> hex = text[(space + 1)..].TrimStart(' ');
        if (!TryParseHashName(name, out DtlsFingerprintHash hash))
        {
            error = DtlsFingerprintError.UnknownHashFunction;
            return false;
        }

        int expected = HashLength(hash);
        if (hex.Length != (expected * 3) - 1)
        {
            error = hex.Length % 3 == 2 || hex.Length == 0 ? DtlsFingerprintError.WrongLength : DtlsFingerprintError.MalformedHex;
            if (error == DtlsFingerprintError.WrongLength && !LooksLikeHexPairs(hex))
            {
                error = DtlsFingerprintError.MalformedHex;
            }

            return false;
        }

        byte[] value = new byte[expected];
        for (int i = 0; i < expected; i++)
        {
            int at = i * 3;
            if ((i > 0 && hex[at - 1] != ':') || !TryHexDigit(hex[at], out int high) || !TryHexDigit(hex[at + 1], out int low))
            {
                error = DtlsFingerprintError.MalformedHex;
                return false;
            }

            value[i] = (byte)((high << 4) | low);
        }

        fingerprint = new DtlsFingerprint(hash, value);
        error = DtlsFingerprintError.None;
        return true;
    }

    /// <summary>The SDP form: <c>sha-256 AB:CD:...</c>.</summary>
    public override string ToString() => string.Create(
        HashName(Hash).Length + 1 + (_value.Length * 3) - 1,
        this,
        static (span, self) =>
        {
            string name = HashName(self.Hash);
            name.AsSpan().CopyTo(span);
            span[name.Length] = ' ';
            Span<char> rest = span[(name.Length + 1)..];
            for (int i = 0; i < self._value.Length; i++)
            {
                if (i > 0)
                {
                    rest[(i * 3) - 1] = ':';
                }

                rest[i * 3] = "0123456789ABCDEF"[self._value[i] >> 4];
                rest[(i * 3) + 1] = "0123456789ABCDEF"[self._value[i] & 0xF];
            }
        });

    public static string HashName(DtlsFingerprintHash hash) => hash switch
    {
        DtlsFingerprintHash.Sha1 => "sha-1",
        DtlsFingerprintHash.Sha224 => "sha-224",
        DtlsFingerprintHash.Sha256 => "sha-256",
        DtlsFingerprintHash.Sha384 => "sha-384",
        DtlsFingerprintHash.Sha512 => "sha-512",
        _ => throw new ArgumentOutOfRangeException(nameof(hash), hash, "Unknown fingerprint hash."),
    };

    public bool Equals(DtlsFingerprint? other) =>
        other is not null && other.Hash == Hash && other._value.AsSpan().SequenceEqual(_value);

    public override bool Equals(object? obj) => Equals(obj as DtlsFingerprint);

    public override int GetHashCode() => HashCode.Combine(Hash, BitConverter.ToInt32(_value, 0));

    private static int HashLength(DtlsFingerprintHash hash) => hash switch
    {
        DtlsFingerprintHash.Sha1 => 20,
        DtlsFingerprintHash.Sha224 => 28,
        DtlsFingerprintHash.Sha256 => 32,
        DtlsFingerprintHash.Sha384 => 48,
        _ => 64,
    };

    private static bool TryParseHashName(ReadOnlySpan<char> name, out DtlsFingerprintHash hash)
    {
        foreach (DtlsFingerprintHash candidate in Enum.GetValues<DtlsFingerprintHash>())
        {
            if (name.Equals(HashName(candidate), StringComparison.OrdinalIgnoreCase))
            {
                hash = candidate;
                return true;
            }
        }

        hash = default;
        return false;
    }

    private static bool LooksLikeHexPairs(ReadOnlySpan<char> hex)
    {
        for (int i = 0; i < hex.Length; i++)
        {
            bool ok = i % 3 == 2 ? hex[i] == ':' : TryHexDigit(hex[i], out _);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryHexDigit(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
        return value >= 0;
    }

    private static byte[] Sha224(ReadOnlySpan<byte> data)
    {
        var digest = new Org.BouncyCastle.Crypto.Digests.Sha224Digest();
        byte[] input = data.ToArray();
        digest.BlockUpdate(input, 0, input.Length);
        byte[] output = new byte[28];
        digest.DoFinal(output, 0);
        return output;
    }
}
