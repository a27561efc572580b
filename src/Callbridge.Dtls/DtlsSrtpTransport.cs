using Callbridge.Srtp;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;

namespace Callbridge.Dtls;

/// <summary>
/// One DTLS-SRTP association (RFC 5764) over a datagram path that someone else owns: the ICE agent hands in
/// the DTLS datagrams it demultiplexed (<see cref="TryDeliverDatagram"/>, RFC 7983) and sends what we write
/// through <see cref="IDtlsDatagramSender"/>. The handshake runs on its own thread (BouncyCastle blocks);
/// retransmission with back-off is BouncyCastle's (RFC 6347 §4.2.4).
/// </summary>
public sealed class DtlsSrtpTransport : IDisposable
{
    private const int Running = 0;
    private const int Completed = 1;
    private const int Aborted = 2;

    private readonly DtlsCertificate _certificate;
    private readonly DtlsSrtpOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly PacketDatagramTransport _transport;
    private readonly DtlsHandshakeOutcome _outcome;
    private int _started;
    private int _handshakeState;
    private DtlsTransport? _dtls;

    /// <param name="role">From the negotiated a=setup (see <see cref="DtlsRoles"/>).</param>
    /// <param name="localCertificate">Our certificate; its fingerprint is in our SDP.</param>
    /// <param name="remoteFingerprint">The peer's a=fingerprint: its certificate must hash to this.</param>
    /// <param name="sender">Where our datagrams go (the ICE agent).</param>
    /// <param name="options">Profiles, timeout and datagram sizes.</param>
    /// <param name="timeProvider">Clock for the handshake deadline.</param>
    public DtlsSrtpTransport(
        DtlsRole role,
        DtlsCertificate localCertificate,
        DtlsFingerprint remoteFingerprint,
        IDtlsDatagramSender sender,
        DtlsSrtpOptions? options = null,
        TimeProvider? timeProvider = null)
        : this(role, localCertificate, [remoteFingerprint ?? throw new ArgumentNullException(nameof(remoteFingerprint))], sender, options, timeProvider)
    {
    }

    /// <summary>For an SDP with several a=fingerprint lines (RFC 8122 §5): the strongest hash's values are used.</summary>
    public DtlsSrtpTransport(
        DtlsRole role,
        DtlsCertificate localCertificate,
        IReadOnlyList<DtlsFingerprint> remoteFingerprints,
        IDtlsDatagramSender sender,
        DtlsSrtpOptions? options = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(localCertificate);
        ArgumentNullException.ThrowIfNull(remoteFingerprints);
        ArgumentNullException.ThrowIfNull(sender);
        if (remoteFingerprints.Count == 0 || remoteFingerprints.Any(f => f is null))
        {
            throw new ArgumentException("At least one remote fingerprint is required.", nameof(remoteFingerprints));
        }

        _options = options ?? DtlsSrtpOptions.Default;
        if (_options.Profiles.Count == 0 || _options.Profiles.Any(p => !SrtpProfileInfo.IsSupported(p)))
        {
            throw new ArgumentException("At least one supported SRTP profile is required.", nameof(options));
        }

        Role = role;
        _certificate = localCertificate;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _transport = new PacketDatagramTransport(sender, _options);
        _outcome = new DtlsHandshakeOutcome(remoteFingerprints, _options.Profiles);
    }

    public DtlsRole Role { get; }

    /// <summary>Completes when the peer sent close_notify or a fatal alert after the handshake, or the transport closed.</summary>
    public Task RemoteClosed => _outcome.RemoteClosed;

    /// <summary>Datagrams dropped on arrival (queue full, oversize, or after close).</summary>
    public long DroppedDatagrams => _transport.Dropped;

    /// <summary>
    /// RFC 7983 §7: a first byte in 20..63 is DTLS. Returns false (and drops) for anything else, when the
    /// queue is full, or after close; the caller needs no other handling.
    /// </summary>
    public bool TryDeliverDatagram(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty || datagram[0] is < 20 or > 63)
        {
            return false;
        }

        return _transport.TryEnqueue(datagram);
    }

    /// <summary>Runs the handshake once. Never throws for protocol failures: the result carries a typed status.</summary>
    public Task<DtlsHandshakeResult> HandshakeAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The handshake was already started.");
        }

        return Task.Factory.StartNew(
            () => RunHandshake(cancellationToken),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
    }

    /// <summary>Sends close_notify (RFC 5246 §7.2.1) if connected and stops the transport.</summary>
    public void Close()
    {
        DtlsTransport? dtls = Interlocked.Exchange(ref _dtls, null);
        if (dtls is not null)
        {
            try
            {
                dtls.Close();
            }
            catch (IOException)
            {
                // The path is gone; there is nobody to notify.
            }
        }

        _transport.Abort(DtlsHandshakeStatus.Cancelled);
        _outcome.OnTransportGone();
    }

    public void Dispose() => Close();

    private DtlsHandshakeResult RunHandshake(CancellationToken cancellationToken)
    {
        using CancellationTokenRegistration registration = cancellationToken.Register(() => Abort(DtlsHandshakeStatus.Cancelled));
        using ITimer timer = _timeProvider.CreateTimer(_ => Abort(DtlsHandshakeStatus.TimedOut), null, _options.HandshakeTimeout, Timeout.InfiniteTimeSpan);
        // BouncyCastle's own handshake limit stays off (0): the timer above owns the deadline, so expiry is always TimedOut.
        const int timeoutMillis = 0;
        try
        {
            var random = new SecureRandom();
            DtlsTransport dtls = Role == DtlsRole.Client
                ? new DtlsClientProtocol(random).Connect(new SrtpDtlsClient(_certificate, _outcome, timeoutMillis), _transport)
                : new DtlsServerProtocol(random).Accept(new SrtpDtlsServer(_certificate, _outcome, timeoutMillis), _transport);

            if (Interlocked.CompareExchange(ref _handshakeState, Completed, Running) != Running)
            {
                dtls.Close();
                return Failure(null);
            }

            if (_outcome.Profile is not SrtpProfile profile || _outcome.KeyingMaterial is not byte[] material || _outcome.RemoteFingerprint is null)
            {
                dtls.Close();
                return new DtlsHandshakeResult(DtlsHandshakeStatus.Failed, "Handshake finished without SRTP keying material.");
            }

            _dtls = dtls;
            StartReceivePump(dtls);
            SrtpMasterKeys keys = SrtpMasterKeys.FromDtlsKeyingMaterial(profile, material, Role == DtlsRole.Client);
            return new DtlsHandshakeResult(keys, _outcome.RemoteFingerprint, material);
        }
        catch (Exception e)
        {
            // BouncyCastle wraps most faults in TlsFatalAlert, but a failed handshake must never fault the task:
            // whatever escaped becomes a typed result carrying the message.
            return Failure(e);
        }
    }

    private void Abort(DtlsHandshakeStatus reason)
    {
        if (Interlocked.CompareExchange(ref _handshakeState, Aborted, Running) == Running)
        {
            _transport.Abort(reason);
        }
    }

    private DtlsHandshakeResult Failure(Exception? exception)
    {
        if (_outcome.Failure is DtlsHandshakeStatus ours)
        {
            return new DtlsHandshakeResult(ours, _outcome.FailureDetail ?? ours.ToString(), (exception as TlsFatalAlert)?.AlertDescription);
        }

        byte? received = _outcome.ReceivedFatalAlert ?? (exception as TlsFatalAlertReceived)?.AlertDescription;
        if (received is byte alert)
        {
            return new DtlsHandshakeResult(
                DtlsHandshakeStatus.PeerAlert, $"The peer sent fatal alert {AlertDescription.GetText(alert)}.", alert);
        }

        if (_transport.AbortReason is DtlsHandshakeStatus aborted)
        {
            return new DtlsHandshakeResult(aborted, aborted == DtlsHandshakeStatus.TimedOut
                ? $"No DTLS handshake within {_options.HandshakeTimeout.TotalSeconds:0.#} s."
                : "The handshake was cancelled.");
        }

        return exception switch
        {
            TlsFatalAlert raised => new DtlsHandshakeResult(
                DtlsHandshakeStatus.Failed, $"Handshake failed: {AlertDescription.GetText(raised.AlertDescription)} ({raised.InnerException?.Message ?? raised.Message}).", raised.AlertDescription),
            _ => new DtlsHandshakeResult(DtlsHandshakeStatus.Failed, $"Handshake failed: {exception?.Message}"),
        };
    }

    /// <summary>
    /// How long one receive of the pump may wait. Each call allocates a timeout object in BouncyCastle, and a
    /// thread that allocates even once between two collections takes a whole allocation block from the
    /// collector's budget: with one pump per association, a wait of a second made hundreds of idle threads
    /// bring the next collection forward. A record or the transport closing ends the wait at once, so a long
    /// one delays nothing.
    /// </summary>
    private const int IdleReceiveWaitMillis = 60_000;

    /// <summary>
    /// Keeps reading after the handshake: BouncyCastle answers a peer's retransmitted final flight from here
    /// (RFC 6347 §4.2.4) and reports close_notify through <see cref="RemoteClosed"/>. Application data is not
    /// used by DTLS-SRTP and is discarded.
    /// </summary>
    private void StartReceivePump(DtlsTransport dtls)
    {
        var thread = new Thread(() =>
        {
            byte[] buffer = new byte[_options.MaxReceiveDatagramSize];
            try
            {
                while (!_transport.IsClosed && !_outcome.RemoteClosed.IsCompleted)
                {
                    dtls.Receive(buffer, 0, buffer.Length, IdleReceiveWaitMillis);
                }
            }
            catch (Exception e) when (e is TlsException or IOException or InvalidOperationException)
            {
                // Closed locally or a fatal alert: either way the association is over.
            }
            finally
            {
                _outcome.OnTransportGone();
            }
        })
        {
            IsBackground = true,
            Name = "dtls-receive",
        };
        thread.Start();
    }
}
