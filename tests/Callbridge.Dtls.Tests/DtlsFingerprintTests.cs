using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Callbridge.Dtls.Tests;

public sealed class DtlsFingerprintTests
{
    [Fact]
    public void Generated_certificate_is_self_signed_ecdsa_p256_and_its_fingerprint_is_sha256_of_the_der()
    {
        DtlsCertificate certificate = DtlsCertificate.Generate();
        using var x509 = X509CertificateLoader.LoadCertificate(certificate.Der);
        using ECDsa? key = x509.GetECDsaPublicKey();

        Assert.NotNull(key);
        Assert.Equal(256, key.KeySize);
        Assert.Equal(ECCurve.NamedCurves.nistP256.Oid.Value, key.ExportParameters(false).Curve.Oid.Value);
        Assert.Equal(x509.Subject, x509.Issuer);
        Assert.True(x509.NotBefore.ToUniversalTime() < DateTime.UtcNow && x509.NotAfter.ToUniversalTime() > DateTime.UtcNow.AddDays(20));

        // Independent: .NET's SHA-256 thumbprint of the same DER, formatted as RFC 8122 asks.
        string expected = "sha-256 " + string.Join(':', Convert.FromHexString(x509.GetCertHashString(HashAlgorithmName.SHA256)).Select(b => b.ToString("X2")));
        Assert.Equal(expected, certificate.Fingerprint.ToString());
        Assert.True(certificate.Fingerprint.Matches(certificate.Der));
        Assert.False(DtlsCertificate.Generate().Fingerprint.Matches(certificate.Der));
    }

    [Fact]
    public void Certificate_validity_follows_the_injected_clock()
    {
        var clock = new FixedClock(new DateTimeOffset(2031, 3, 4, 5, 6, 7, TimeSpan.Zero));
        using var x509 = X509CertificateLoader.LoadCertificate(DtlsCertificate.Generate(clock).Der);
        Assert.Equal(new DateTime(2031, 3, 3, 5, 6, 7, DateTimeKind.Utc), x509.NotBefore.ToUniversalTime());
        Assert.Equal(new DateTime(2031, 4, 3, 5, 6, 7, DateTimeKind.Utc), x509.NotAfter.ToUniversalTime());
    }

    [Theory]
    [InlineData("sha-256 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89", DtlsFingerprintHash.Sha256)]
    [InlineData("SHA-256 ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67:89", DtlsFingerprintHash.Sha256)]
    [InlineData("sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33", DtlsFingerprintHash.Sha1)]
    public void Sdp_values_parse_and_print_back_in_canonical_form(string text, DtlsFingerprintHash hash)
    {
        Assert.True(DtlsFingerprint.TryParse(text, out DtlsFingerprint? fingerprint, out DtlsFingerprintError error));
        Assert.Equal(DtlsFingerprintError.None, error);
        Assert.Equal(hash, fingerprint!.Hash);
        string canonical = fingerprint.ToString();
        Assert.Equal(text.ToUpperInvariant().Replace("SHA-", "sha-", StringComparison.Ordinal), canonical);
        Assert.True(DtlsFingerprint.TryParse(canonical, out DtlsFingerprint? again, out _));
        Assert.Equal(fingerprint, again);
    }

    [Theory]
    [InlineData("", DtlsFingerprintError.MissingSeparator)]
    [InlineData("sha-256", DtlsFingerprintError.MissingSeparator)]
    [InlineData("md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF", DtlsFingerprintError.UnknownHashFunction)]
    [InlineData("sha-256 AB:CD", DtlsFingerprintError.WrongLength)]
    [InlineData("sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:3G", DtlsFingerprintError.MalformedHex)]
    [InlineData("sha-1 00-11-22-33-44-55-66-77-88-99-AA-BB-CC-DD-EE-FF-00-11-22-33", DtlsFingerprintError.MalformedHex)]
    [InlineData("sha-1 0011:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:", DtlsFingerprintError.MalformedHex)]
    public void Malformed_values_give_the_reason(string text, DtlsFingerprintError expected)
    {
        Assert.False(DtlsFingerprint.TryParse(text, out DtlsFingerprint? fingerprint, out DtlsFingerprintError error));
        Assert.Null(fingerprint);
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Fuzzed_values_only_ever_yield_a_typed_error_or_a_value_that_round_trips()
    {
        var random = new Random(8122);
        string valid = DtlsCertificate.Generate().Fingerprint.ToString();
        const string alphabet = "0123456789ABCDEFabcdef: -shaSHA\t\u00e9x";
        int parsed = 0;
        var reasons = new HashSet<DtlsFingerprintError>();
        for (int i = 0; i < 100_000; i++)
        {
            char[] text;
            if (i % 2 == 0)
            {
                text = valid.ToCharArray();
                int edits = random.Next(1, 4);
                for (int e = 0; e < edits; e++)
                {
                    text[random.Next(text.Length)] = alphabet[random.Next(alphabet.Length)];
                }

                if (random.Next(6) == 0)
                {
                    text = text[..random.Next(text.Length)];
                }
            }
            else
            {
                text = new char[random.Next(0, 120)];
                for (int k = 0; k < text.Length; k++)
                {
                    text[k] = alphabet[random.Next(alphabet.Length)];
                }
            }

            if (DtlsFingerprint.TryParse(text, out DtlsFingerprint? fingerprint, out DtlsFingerprintError error))
            {
                parsed++;
                Assert.Equal(DtlsFingerprintError.None, error);
                Assert.True(DtlsFingerprint.TryParse(fingerprint!.ToString(), out DtlsFingerprint? again, out _));
                Assert.Equal(fingerprint, again);
            }
            else
            {
                Assert.Null(fingerprint);
                Assert.NotEqual(DtlsFingerprintError.None, error);
                reasons.Add(error);
            }
        }

        Assert.True(parsed > 0);
        Assert.Equal(4, reasons.Count);
    }

    [Fact]
    public void Setup_attribute_maps_to_the_rfc5763_role()
    {
        Assert.True(DtlsRoles.TryFromLocalSetup(DtlsSetup.Active, out DtlsRole active));
        Assert.Equal(DtlsRole.Client, active);
        Assert.True(DtlsRoles.TryFromLocalSetup(DtlsSetup.Passive, out DtlsRole passive));
        Assert.Equal(DtlsRole.Server, passive);
        Assert.False(DtlsRoles.TryFromLocalSetup(DtlsSetup.ActPass, out _));
        Assert.False(DtlsRoles.TryFromLocalSetup(DtlsSetup.HoldConn, out _));

        Assert.True(DtlsRoles.TryAnswer(DtlsSetup.ActPass, out DtlsSetup answer));
        Assert.Equal(DtlsSetup.Active, answer);
        Assert.True(DtlsRoles.TryAnswer(DtlsSetup.Active, out answer));
        Assert.Equal(DtlsSetup.Passive, answer);
        Assert.False(DtlsRoles.TryAnswer(DtlsSetup.HoldConn, out _));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
