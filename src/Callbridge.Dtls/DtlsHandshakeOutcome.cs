using Callbridge.Srtp;
using Org.BouncyCastle.Crypto.Tls;

namespace Callbridge.Dtls;

/// <summary>
/// What the BouncyCastle callbacks learned during one handshake: written on the DTLS thread, read after
/// Connect/Accept returns or throws. A failure we detect ourselves is recorded before the alert is raised,
/// so the caller gets our typed reason rather than BouncyCastle's exception.
/// </summary>
internal sealed class DtlsHandshakeOutcome
{
    /// <summary>RFC 5764 §4.2 exporter label.</summary>
    internal const string ExporterLabel = "EXTRACTOR-dtls_srtp";

    private readonly TaskCompletionSource _remoteClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DtlsHandshakeOutcome(IReadOnlyList<DtlsFingerprint> expectedRemote, IReadOnlyList<SrtpProfile> profiles)
    {
        // RFC 8122 §5: with several fingerprints, use those of the strongest hash function offered; the
        // certificate must match one of them.
        DtlsFingerprintHash strongest = expectedRemote.Max(f => f.Hash);
        ExpectedRemote = expectedRemote.Where(f => f.Hash == strongest).ToArray();
        Profiles = profiles;
    }

    public IReadOnlyList<DtlsFingerprint> ExpectedRemote { get; }

    public IReadOnlyList<SrtpProfile> Profiles { get; }

    public DtlsHandshakeStatus? Failure { get; private set; }

    public string? FailureDetail { get; private set; }

    public SrtpProfile? Profile { get; set; }

    public byte[]? KeyingMaterial { get; set; }

    public DtlsFingerprint? RemoteFingerprint { get; private set; }

    public Task RemoteClosed => _remoteClosed.Task;

    /// <summary>Records a failure and returns the fatal alert to throw (BouncyCastle sends it to the peer).</summary>
    public TlsFatalAlert Fail(DtlsHandshakeStatus status, byte alert, string detail)
    {
        if (Failure is null)
        {
            Failure = status;
            FailureDetail = detail;
        }

        return new TlsFatalAlert(alert);
    }

    /// <summary>
    /// RFC 8122 §5 / RFC 5763 §5: the certificate the peer presents must hash to the fingerprint its SDP
    /// announced; otherwise the handshake is refused with bad_certificate.
    /// </summary>
    public void VerifyPeerCertificate(Certificate? certificate)
    {
        if (certificate is null || certificate.IsEmpty)
        {
            throw Fail(DtlsHandshakeStatus.MissingPeerCertificate, AlertDescription.handshake_failure, "The peer sent no certificate.");
        }

        byte[] der = certificate.GetCertificateAt(0).GetEncoded();
        RemoteFingerprint = DtlsFingerprint.Compute(DtlsFingerprintHash.Sha256, der);
        if (!ExpectedRemote.Any(f => f.Matches(der)))
        {
            throw Fail(
                DtlsHandshakeStatus.FingerprintMismatch,
                AlertDescription.bad_certificate,
                $"Peer certificate {DtlsFingerprint.Compute(ExpectedRemote[0].Hash, der)} matches no SDP fingerprint ({string.Join(", ", ExpectedRemote)}).");
        }
    }

    public void ExportKeys(TlsContext context)
    {
        if (Profile is not SrtpProfile profile)
        {
            throw Fail(DtlsHandshakeStatus.NoCommonSrtpProfile, AlertDescription.internal_error, "No SRTP profile was negotiated.");
        }

        KeyingMaterial = context.ExportKeyingMaterial(ExporterLabel, null, SrtpProfileInfo.KeyingMaterialLength(profile));
    }

    /// <summary>The fatal alert the peer sent, if any (BouncyCastle may surface it as its own TlsFatalAlert).</summary>
    public byte? ReceivedFatalAlert { get; private set; }

    public void OnAlertReceived(byte level, byte description)
    {
        if (level == AlertLevel.fatal)
        {
            ReceivedFatalAlert ??= description;
        }

        if (description == AlertDescription.close_notify || level == AlertLevel.fatal)
        {
            _remoteClosed.TrySetResult();
        }
    }

    public void OnTransportGone() => _remoteClosed.TrySetResult();

    public static int[] ToBouncyCastle(IReadOnlyList<SrtpProfile> profiles) => profiles.Select(p => (int)p).ToArray();
}
