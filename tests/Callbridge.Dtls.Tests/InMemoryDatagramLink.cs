using Callbridge.Dtls;

namespace Callbridge.Dtls.Tests;

/// <summary>
/// One direction of an in-memory datagram path into a <see cref="DtlsSrtpTransport"/>, with optional loss
/// (drop the datagrams whose ordinal is listed) and reordering (hold a datagram back until the next one passed).
/// </summary>
internal sealed class InMemoryDatagramLink : IDtlsDatagramSender
{
    private readonly Lock _lock = new();
    private readonly HashSet<int> _dropOrdinals;
    private readonly HashSet<int> _delayOrdinals;
    private byte[]? _held;
    private int _ordinal;

    public InMemoryDatagramLink(IEnumerable<int>? dropOrdinals = null, IEnumerable<int>? delayOrdinals = null)
    {
        _dropOrdinals = [.. dropOrdinals ?? []];
        _delayOrdinals = [.. delayOrdinals ?? []];
    }

    public DtlsSrtpTransport? Target { get; set; }

    public bool Silent { get; set; }

    /// <summary>Drops the first datagram starting with this DTLS content type (20 = ChangeCipherSpec, RFC 6347 §4.1).</summary>
    public byte? DropFirstOfContentType { get; set; }

    public int Sent { get; private set; }

    public int Dropped { get; private set; }

    public int Reordered { get; private set; }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        byte[] copy = datagram.ToArray();
        byte[]? releaseAfter = null;
        lock (_lock)
        {
            int ordinal = ++_ordinal;
            Sent++;
            if (DropFirstOfContentType is byte contentType && copy.Length > 0 && copy[0] == contentType)
            {
                DropFirstOfContentType = null;
                Dropped++;
                return;
            }

            if (Silent || _dropOrdinals.Contains(ordinal))
            {
                Dropped++;
                return;
            }

            if (_delayOrdinals.Contains(ordinal) && _held is null)
            {
                _held = copy;
                Reordered++;
                return;
            }

            releaseAfter = _held;
            _held = null;
        }

        Target?.TryDeliverDatagram(copy);
        if (releaseAfter is not null)
        {
            Target?.TryDeliverDatagram(releaseAfter);
        }
    }

    /// <summary>Two transports joined by a link each way.</summary>
    public static (DtlsSrtpTransport Client, DtlsSrtpTransport Server) Connect(
        DtlsCertificate clientCertificate,
        DtlsCertificate serverCertificate,
        InMemoryDatagramLink clientToServer,
        InMemoryDatagramLink serverToClient,
        DtlsSrtpOptions? clientOptions = null,
        DtlsSrtpOptions? serverOptions = null,
        DtlsFingerprint? clientExpects = null,
        DtlsFingerprint? serverExpects = null)
    {
        var client = new DtlsSrtpTransport(DtlsRole.Client, clientCertificate, clientExpects ?? serverCertificate.Fingerprint, clientToServer, clientOptions);
        var server = new DtlsSrtpTransport(DtlsRole.Server, serverCertificate, serverExpects ?? clientCertificate.Fingerprint, serverToClient, serverOptions);
        clientToServer.Target = server;
        serverToClient.Target = client;
        return (client, server);
    }
}
