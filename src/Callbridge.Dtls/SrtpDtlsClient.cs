using System.Collections;
using Callbridge.Srtp;
using Org.BouncyCastle.Crypto.Tls;

namespace Callbridge.Dtls;

/// <summary>The DTLS client side: offers use_srtp with our profiles (RFC 5764 §4.1.1) and checks the server's fingerprint.</summary>
internal sealed class SrtpDtlsClient : DefaultTlsClient
{
    private readonly DtlsCertificate _certificate;
    private readonly DtlsHandshakeOutcome _outcome;
    private readonly int _timeoutMillis;

    public SrtpDtlsClient(DtlsCertificate certificate, DtlsHandshakeOutcome outcome, int timeoutMillis)
    {
        _certificate = certificate;
        _outcome = outcome;
        _timeoutMillis = timeoutMillis;
    }

    public override ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

    public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    public override int[] GetCipherSuites() => DtlsCipherSuites.All;

    public override int GetHandshakeTimeoutMillis() => _timeoutMillis;

    public override IDictionary GetClientExtensions()
    {
        IDictionary extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData(DtlsHandshakeOutcome.ToBouncyCastle(_outcome.Profiles), []));
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);

        // RFC 5764 §4.1.1: the server answers with exactly one of the offered profiles, or omits use_srtp.
        UseSrtpData? chosen = serverExtensions is null ? null : TlsSRTPUtils.GetUseSrtpExtension(serverExtensions);
        if (chosen is null || chosen.ProtectionProfiles.Length != 1 || !_outcome.Profiles.Contains((SrtpProfile)chosen.ProtectionProfiles[0]))
        {
            throw _outcome.Fail(DtlsHandshakeStatus.NoCommonSrtpProfile, AlertDescription.illegal_parameter, "The server selected no offered SRTP profile.");
        }

        // RFC 5764 §4.1.1: we offered no MKI, so the server must not return one.
        if (chosen.Mki is { Length: > 0 })
        {
            throw _outcome.Fail(DtlsHandshakeStatus.Failed, AlertDescription.illegal_parameter, "The server returned an SRTP MKI we did not offer.");
        }

        _outcome.Profile = (SrtpProfile)chosen.ProtectionProfiles[0];
    }

    public override TlsAuthentication GetAuthentication() => new Authentication(this);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        _outcome.ExportKeys(mContext);
    }

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription) =>
        _outcome.OnAlertReceived(alertLevel, alertDescription);

    private sealed class Authentication(SrtpDtlsClient client) : TlsAuthentication
    {
        public void NotifyServerCertificate(Certificate serverCertificate) =>
            client._outcome.VerifyPeerCertificate(serverCertificate);

        // RFC 5763 §5: both endpoints present a certificate; ours is ECDSA P-256 signed with SHA-256.
        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) =>
            new DefaultTlsSignerCredentials(
                client.mContext, client._certificate.TlsCertificate, client._certificate.PrivateKey, DtlsCipherSuites.EcdsaSha256);
    }
}
