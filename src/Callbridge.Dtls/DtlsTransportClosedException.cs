namespace Callbridge.Dtls;

/// <summary>Raised inside the DTLS thread when our transport is aborted, so BouncyCastle unwinds its handshake.</summary>
internal sealed class DtlsTransportClosedException : IOException
{
    public DtlsTransportClosedException()
        : base("The DTLS datagram transport was closed.")
    {
    }

    public DtlsTransportClosedException(string message)
        : base(message)
    {
    }

    public DtlsTransportClosedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
