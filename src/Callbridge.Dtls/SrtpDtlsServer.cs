using System.Collections;
using Callbridge.Srtp;
using Org.BouncyCastle.Crypto.Tls;

namespace Callbridge.Dtls;

/// <summary>The DTLS server side: chooses a use_srtp profile (RFC 5764 §4.1.1), requires and checks the client's certificate.</summary>
internal sealed class SrtpDtlsServer : DefaultTlsServer
{
    private readonly DtlsCertificate _certificate;
    private readonly DtlsHandshakeOutcome _outcome;
    private readonly int _timeoutMillis;
    private string? _noProfileReason;

    public SrtpDtlsServer(DtlsCertificate certificate, DtlsHandshakeOutcome outcome, int timeoutMillis)
    {
        _certificate = certificate;
        _outcome = outcome;
        _timeoutMillis = timeoutMillis;
    }

    protected override ProtocolVersion MaximumVersion => ProtocolVersion.DTLSv12;

    protected override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    protected override int[] GetCipherSuites() => DtlsCipherSuites.All;

    public override int GetHandshakeTimeoutMillis() => _timeoutMillis;

    public override void ProcessClientExtensions(IDictionary clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);

        // A failure is only recorded here: BouncyCastle sends no record, not even an alert, before its
        // ServerHello, so the client would wait for its timeout. See GetServerSupplementalData.
        UseSrtpData? offered = clientExtensions is null ? null : TlsSRTPUtils.GetUseSrtpExtension(clientExtensions);
        if (offered is null)
        {
            _noProfileReason = "The client did not offer use_srtp.";
            return;
        }

        // Our preference order wins among the profiles the client offered.
        foreach (SrtpProfile candidate in _outcome.Profiles)
        {
            if (Array.IndexOf(offered.ProtectionProfiles, (int)candidate) >= 0)
            {
                _outcome.Profile = candidate;
                return;
            }
        }

        _noProfileReason = "The client offered no SRTP profile we support.";
    }

    public override IDictionary GetServerExtensions()
    {
        // RFC 5764 §4.1.1: without a common profile the server omits use_srtp, which the client then refuses.
        IDictionary extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetServerExtensions());
        if (_outcome.Profile is SrtpProfile profile)
        {
            TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData([(int)profile], []));
        }

        return extensions;
    }

    /// <summary>The first callback after ServerHello went out: the earliest point a fatal alert reaches the client.</summary>
    public override IList GetServerSupplementalData()
    {
        if (_outcome.Profile is null)
        {
            throw _outcome.Fail(DtlsHandshakeStatus.NoCommonSrtpProfile, AlertDescription.handshake_failure, _noProfileReason ?? "No SRTP profile.");
        }

        return base.GetServerSupplementalData();
    }

    protected override TlsSignerCredentials GetECDsaSignerCredentials() =>
        new DefaultTlsSignerCredentials(mContext, _certificate.TlsCertificate, _certificate.PrivateKey, DtlsCipherSuites.EcdsaSha256);

    // RFC 5763 §5: the server requests the client's certificate, whose fingerprint the SDP carries.
    public override CertificateRequest GetCertificateRequest() =>
        new([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], TlsUtilities.GetDefaultSupportedSignatureAlgorithms(), null);

    public override void NotifyClientCertificate(Certificate clientCertificate) =>
        _outcome.VerifyPeerCertificate(clientCertificate);

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        _outcome.ExportKeys(mContext);
    }

    public override void NotifyAlertReceived(byte alertLevel, byte alertDescription) =>
        _outcome.OnAlertReceived(alertLevel, alertDescription);
}
