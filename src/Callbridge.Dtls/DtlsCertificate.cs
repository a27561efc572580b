using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Utilities;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using TlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace Callbridge.Dtls;

/// <summary>
/// A self-signed ECDSA P-256 certificate and its key, as WebRTC endpoints use for DTLS-SRTP: identity
/// comes from the SDP fingerprint (RFC 8122), not from a CA, so a fresh one per session or process suffices.
/// </summary>
public sealed class DtlsCertificate
{
    private readonly byte[] _der;

    private DtlsCertificate(byte[] der, AsymmetricKeyParameter privateKey)
    {
        _der = der;
        PrivateKey = privateKey;
        TlsCertificate = new TlsCertificate([X509CertificateStructure.GetInstance(der)]);
        Fingerprint = DtlsFingerprint.Compute(DtlsFingerprintHash.Sha256, der);
    }

    /// <summary>The SHA-256 fingerprint to advertise in SDP (<c>a=fingerprint:sha-256 ...</c>).</summary>
    public DtlsFingerprint Fingerprint { get; }

    /// <summary>The DER encoding of the certificate.</summary>
    public ReadOnlySpan<byte> Der => _der;

    internal AsymmetricKeyParameter PrivateKey { get; }

    internal TlsCertificate TlsCertificate { get; }

    /// <summary>
    /// Generates a key pair on P-256 (RFC 8827 §6.5 requires ECDSA P-256 support; every browser offers it)
    /// and a certificate valid from one day before now (clock skew between peers) for 30 days.
    /// </summary>
    public static DtlsCertificate Generate(TimeProvider? timeProvider = null, string commonName = "callbridge")
    {
        var random = new SecureRandom();
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        AsymmetricCipherKeyPair keyPair = generator.GenerateKeyPair();

        DateTime now = (timeProvider ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var name = new X509Name("CN=" + commonName);
        var builder = new X509V3CertificateGenerator();
        builder.SetSerialNumber(BigIntegers.CreateRandomInRange(BigInteger.One, BigInteger.ValueOf(long.MaxValue), random));
        builder.SetIssuerDN(name);
        builder.SetSubjectDN(name);
        builder.SetNotBefore(now.AddDays(-1));
        builder.SetNotAfter(now.AddDays(30));
        builder.SetPublicKey(keyPair.Public);
        X509Certificate certificate = builder.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keyPair.Private, random));
        return new DtlsCertificate(certificate.GetEncoded(), keyPair.Private);
    }

    /// <summary>Loads a certificate and its private key from PEM text (for a persistent identity or tests).</summary>
    public static DtlsCertificate FromPem(string certificatePem, string privateKeyPem)
    {
        var certificate = (X509Certificate)new Org.BouncyCastle.OpenSsl.PemReader(new StringReader(certificatePem)).ReadObject();
        object key = new Org.BouncyCastle.OpenSsl.PemReader(new StringReader(privateKeyPem)).ReadObject();
        AsymmetricKeyParameter privateKey = key switch
        {
            AsymmetricCipherKeyPair pair => pair.Private,
            AsymmetricKeyParameter parameter when parameter.IsPrivate => parameter,
            _ => throw new ArgumentException("The PEM text holds no private key.", nameof(privateKeyPem)),
        };
        return new DtlsCertificate(certificate.GetEncoded(), privateKey);
    }
}
