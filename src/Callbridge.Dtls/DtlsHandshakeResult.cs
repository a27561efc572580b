using Callbridge.Srtp;

namespace Callbridge.Dtls;

/// <summary>The outcome of <see cref="DtlsSrtpTransport.HandshakeAsync"/>.</summary>
public sealed class DtlsHandshakeResult
{
    internal DtlsHandshakeResult(DtlsHandshakeStatus status, string detail, byte? alertDescription = null)
    {
        Status = status;
        Detail = detail;
        AlertDescription = alertDescription;
    }

    internal DtlsHandshakeResult(SrtpMasterKeys keys, DtlsFingerprint remoteFingerprint, byte[] keyingMaterial)
    {
        Status = DtlsHandshakeStatus.Connected;
        Detail = "connected";
        Keys = keys;
        RemoteFingerprint = remoteFingerprint;
        KeyingMaterial = keyingMaterial;
    }

    public DtlsHandshakeStatus Status { get; }

    public bool IsConnected => Status == DtlsHandshakeStatus.Connected;

    /// <summary>Human-readable reason, for logs.</summary>
    public string Detail { get; }

    /// <summary>The TLS alert (RFC 5246 §7.2) sent or received, when one was involved.</summary>
    public byte? AlertDescription { get; }

    /// <summary>The SRTP keys split for our role; null unless connected.</summary>
    public SrtpMasterKeys? Keys { get; }

    /// <summary>The SHA-256 fingerprint of the certificate the peer presented; null unless connected.</summary>
    public DtlsFingerprint? RemoteFingerprint { get; }

    /// <summary>The raw "EXTRACTOR-dtls_srtp" output (RFC 5764 §4.2), kept for diagnosis and interop checks.</summary>
    internal byte[]? KeyingMaterial { get; }
}
