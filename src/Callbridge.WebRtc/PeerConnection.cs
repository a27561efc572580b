using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Callbridge.Dtls;
using Callbridge.Ice;
using Callbridge.Media;
using Callbridge.Srtp;

namespace Callbridge.WebRtc;

/// <summary>
/// A bot's WebRTC peer connection towards an SFU: one BUNDLEd ICE component (RFC 8843), DTLS-SRTP keyed on
/// it (RFC 5764), rtcp-mux (RFC 5761). As answerer it receives the SFU's tracks (ICE controlled, DTLS
/// active); as offerer it sends one Opus track (ICE controlling, DTLS actpass). Sends and state changes go
/// through one single-reader queue and are handled on one loop; SRTP/SRTCP datagrams and timer ticks are
/// handled where they arrive (the ICE receive thread, the timer callback). All of it runs under one media
/// lock, so the connection's media state is still touched by one thread at a time.
/// </summary>
/// <remarks>
/// Handling a datagram on the receive thread saves a thread-pool hop per packet: at a thousand packets per
/// second per connection the loop would otherwise wake, run one item and sleep again for almost every one.
/// </remarks>
public sealed partial class PeerConnection : IAsyncDisposable
{
    // Room for a 1500-byte packet plus the largest SRTP/SRTCP trailer (16-byte tag + 4-byte index).
    private const int SendBufferSize = 2048;
    private const int ReceiveBufferSize = 2048;

    /// <summary>Largest VP8 frame accepted for sending: 1 MiB is far above a 1080p key frame at conference bitrates.</summary>
    private const int MaxVideoFrameSize = 1 << 20;

    /// <summary>
    /// Opus packets to send and early media move from the caller's thread to the loop: a lock-based pool hands
    /// them back whatever thread returns them (the shared pool's per-thread caches favour rent and return on
    /// one thread). 4,096 buffers bound the pool at 8 MB across every connection of the process.
    /// </summary>
    private static readonly ArrayPool<byte> DatagramPool = ArrayPool<byte>.Create(ReceiveBufferSize, 4096);

    private readonly PeerConnectionOptions _options;
    private readonly TimeProvider _time;
    private readonly DtlsCertificate _certificate;
    private readonly Channel<WorkItem> _work;
    private readonly System.Collections.Concurrent.ConcurrentQueue<RemoteTrack> _retired = new();
    private readonly Dictionary<uint, RemoteTrack> _bySsrc = [];
    private readonly Queue<(byte[] Buffer, int Length)> _early = new();
    private readonly TaskCompletionSource<PeerConnectionState> _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly byte[] _sendBuffer = new byte[SendBufferSize];

    /// <summary>Held by whichever thread handles media: the loop, the ICE receive thread or the tick.</summary>
    private readonly Lock _media = new();

    /// <summary>The datagram being handled inline, unprotected in place; only touched under <see cref="_media"/>.</summary>
    private readonly byte[] _receiveBuffer = GC.AllocateArray<byte>(ReceiveBufferSize, pinned: true);
    private readonly byte[] _transformBuffer = new byte[SendBufferSize];
    private readonly byte[] _cname;
    private readonly uint _localSsrc;

    /// <summary>Replaced whole by a renegotiation (never mutated), so the loop iterates a consistent set.</summary>
    private volatile RemoteTrack[] _tracks = [];
    private IceAgent? _ice;
    private volatile DtlsSrtpTransport? _dtls;
    private DtlsRole _dtlsRole;
    private bool _dtlsStarted;
    private volatile DtlsHandshakeResult? _dtlsResult;
    private SrtpSession? _inbound;
    private SrtpSession? _outbound;
    private OpusPacketizer? _opusSender;
    private RetransmissionHistory? _history;
    private Vp8Packetizer? _vp8Sender;
    private uint _vp8Timestamp;
    private RetransmissionHistory? _videoHistory;
    private long _videoSentPackets;
    private long _videoSentOctets;
    private uint _lastVideoRtpTimestamp;
    private long _lastVideoSentAt;
    private long _videoFramesSent;
    private long _keyFrameRequestsReceived;
    private ITimer? _timer;
    private Task? _loop;
    private long _nextReport;
    private int _midExtensionId;
    private int _state = (int)PeerConnectionState.New;
    private int _disposed;

    private long _loopAllocated;
    private long _sentPackets;
    private long _sentPayloadOctets;
    private uint _lastSentRtpTimestamp;
    private long _lastSentAt;
    private long _rtpReceived;
    private long _rtcpReceived;
    private long _srtpFailures;
    private long _unrouted;
    private long _queueDrops;
    private long _rtpSent;
    private long _rtcpSent;
    private long _pliSent;
    private long _senderReports;
    private long _nacksSent;
    private long _nacksReceived;
    private long _retransmitted;
    private long _dtlsReceived;
    private long _dtlsBeforeTransport;

    public PeerConnection(PeerConnectionOptions? options = null)
    {
        _options = options ?? new PeerConnectionOptions();
        _time = _options.TimeProvider;
        _certificate = _options.Certificate ?? DtlsCertificate.Generate(_time);
        _cname = Encoding.UTF8.GetBytes(_options.Cname);
        _localSsrc = RandomSsrc();
        _work = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(_options.ReceiveQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Raised under the media lock (Connected, Failed) or on the caller's thread (Connecting, Closed); return quickly.</summary>
    public event Action<PeerConnectionState>? StateChanged;

    /// <summary>
    /// Every complete remote frame, under the media lock (on the ICE receive thread or the tick): one call at
    /// a time per connection, never blocking. Set it before applying the remote offer.
    /// </summary>
    public ReceivedFrameHandler? FrameReceived { get; set; }

    /// <summary>
    /// Once per track, under the media lock, when its ciphertext detector first judges the media end-to-end encrypted
    /// (<see cref="RemoteTrack.Encryption"/>). Set it before applying the remote offer.
    /// </summary>
    public TrackEncryptedHandler? TrackEncrypted { get; set; }

    /// <summary>
    /// Applied under the media lock to every Opus frame before packetization (an E2EE sender transform); null sends
    /// frames as they are. Its output must fit 2048 bytes with the RTP header.
    /// </summary>
    public SendFrameTransform? SendTransform { get; set; }

    /// <summary>SSRC of the sendonly Opus track, once <see cref="TryCreateAudioOffer"/> made the offer.</summary>
    public uint? SendSsrc => _localOffer is { } offer ? offer.Media[0].Ssrcs[0].Ssrc : null;

    /// <summary>SSRC of the sendonly VP8 track, once the SFU's answer accepted it.</summary>
    public uint? SendVideoSsrc => _vp8Sender?.Ssrc;

    /// <summary>
    /// Raised on the loop when the receiver of our VP8 track asks for a key frame (PLI, RFC 4585 §6.3.1, or
    /// FIR, RFC 5104 §4.3.1). The sender answers by sending one soon; return quickly.
    /// </summary>
    public Action? KeyFrameRequested { get; set; }

    /// <summary>PLI and FIR received for our VP8 track.</summary>
    public long KeyFrameRequestsReceived => Volatile.Read(ref _keyFrameRequestsReceived);

    /// <summary>VP8 frames packetized and sent.</summary>
    public long VideoFramesSent => Volatile.Read(ref _videoFramesSent);

    public PeerConnectionState State => (PeerConnectionState)Volatile.Read(ref _state);

    /// <summary>
    /// The SRTP protection profile DTLS negotiated (RFC 5764 §4.1.2), null before the handshake finished.
    /// We offer AEAD_AES_128_GCM first (RFC 7714): with AES-NI it costs a third of AES-CM with HMAC-SHA1.
    /// </summary>
    public SrtpProfile? SrtpProfile => _dtlsResult is { IsConnected: true, Keys: { } keys } ? keys.Profile : null;

    /// <summary>Why the last description was refused, or why the connection failed.</summary>
    public PeerConnectionError Error { get; private set; }

    /// <summary>The answer builder's reason when <see cref="Error"/> is <see cref="PeerConnectionError.AnswerRefused"/>.</summary>
    public Sdp.SdpAnswerError AnswerError { get; private set; }

    /// <summary>The DTLS status when <see cref="Error"/> is <see cref="PeerConnectionError.DtlsFailed"/>.</summary>
    public DtlsHandshakeStatus? DtlsFailure { get; private set; }

    /// <summary>Completes with Connected, or with Failed/Closed when it never will connect.</summary>
    public Task<PeerConnectionState> Settled => _settled.Task;

    /// <summary>Received tracks, in m-line order, once a remote offer was applied.</summary>
    public IReadOnlyList<RemoteTrack> Tracks => _tracks;

    public DtlsFingerprint LocalFingerprint => _certificate.Fingerprint;

    /// <summary>Wakes of the ICE receive threads (see <see cref="IceAgent.ReceiveWakes"/>).</summary>
    internal long ReceiveWakes => _ice?.ReceiveWakes ?? 0;

    /// <summary>Bytes allocated under the media lock: loop items, inline datagrams, ticks and sends (the no-allocation check of the media path).</summary>
    internal long LoopAllocatedBytes => Volatile.Read(ref _loopAllocated);

    public IceSelectedPair? SelectedPair => _ice?.SelectedPair;

    public PeerConnectionStatistics Statistics => new(
        Volatile.Read(ref _rtpReceived), Volatile.Read(ref _rtcpReceived), Volatile.Read(ref _srtpFailures),
        Volatile.Read(ref _unrouted), Volatile.Read(ref _queueDrops), Volatile.Read(ref _rtpSent),
        Volatile.Read(ref _rtcpSent), Volatile.Read(ref _pliSent), Volatile.Read(ref _senderReports),
        Volatile.Read(ref _nacksSent), Volatile.Read(ref _nacksReceived), Volatile.Read(ref _retransmitted));

    /// <summary>Test seam: incoming RTP (SSRC, sequence number) for which it returns true is dropped as if lost on the way.</summary>
    internal Func<uint, ushort, bool>? DropIncomingRtp { get; set; }

    /// <summary>Test seam: outgoing RTP (by sequence number) for which it returns true is not sent (kept for retransmission).</summary>
    internal Func<ushort, bool>? DropOutgoingRtp { get; set; }

    /// <summary>What ICE and DTLS did so far; for the error of a connection that did not come up.</summary>
    public async Task<PeerConnectionDiagnostics> GetDiagnosticsAsync()
    {
        IceDiagnostics? ice = _ice is { } agent ? await agent.GetDiagnosticsAsync().ConfigureAwait(false) : null;
        DtlsSrtpTransport? dtls = _dtls;
        return new PeerConnectionDiagnostics(State, Error, dtls?.Role, Volatile.Read(ref _dtlsStarted), _dtlsResult?.Status ?? DtlsFailure,
            Interlocked.Read(ref _dtlsReceived), Interlocked.Read(ref _dtlsBeforeTransport), ice);
    }

    /// <summary>
    /// Waits for <see cref="Settled"/>; past <paramref name="timeout"/> throws a <see cref="PeerConnectionTimeoutException"/>
    /// carrying the diagnostics.
    /// </summary>
    public async Task<PeerConnectionState> WaitSettledAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            return await Settled.WaitAsync(timeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new PeerConnectionTimeoutException(timeout, await GetDiagnosticsAsync().ConfigureAwait(false), e);
        }
    }

    /// <summary>Asks the sender of <paramref name="track"/> for a key frame (PLI, RFC 4585 §6.3.1). False before SRTP is up.</summary>
    public bool RequestKeyFrame(RemoteTrack track)
    {
        return Array.IndexOf(_tracks, track) >= 0 && State == PeerConnectionState.Connected && TryPost(new WorkItem(WorkItemKind.KeyFrameRequest, Track: track));
    }

    /// <summary>
    /// Queues one Opus packet (one 2.5-60 ms frame, RFC 7587 §4.2) for the sendonly track. The caller paces
    /// frames in real time. False when not connected, not publishing, or the queue is full.
    /// </summary>
    public bool TrySendOpus(ReadOnlySpan<byte> opusPacket) => TrySendOpus(opusPacket, 0);

    /// <summary>
    /// As <see cref="TrySendOpus(ReadOnlySpan{byte})"/> with the frame's duration in 48 kHz samples given
    /// (0: read it from the TOC, RFC 6716 §3.1).
    /// </summary>
    public bool TrySendOpus(ReadOnlySpan<byte> opusPacket, int samples48k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples48k);
        if (_opusSender is null || State != PeerConnectionState.Connected || opusPacket.IsEmpty || opusPacket.Length > ReceiveBufferSize)
        {
            return false;
        }

        if (_options.SendOnCallerThread)
        {
            return SendInline(WorkItemKind.SendOpus, opusPacket, samples48k);
        }

        byte[] buffer = DatagramPool.Rent(ReceiveBufferSize);
        opusPacket.CopyTo(buffer);
        if (TryPost(new WorkItem(WorkItemKind.SendOpus, buffer, opusPacket.Length, samples48k)))
        {
            return true;
        }

        DatagramPool.Return(buffer);
        return false;
    }

    /// <summary>
    /// Queues one VP8 frame (RFC 7741) for the sendonly video track; the next frame's RTP timestamp is this
    /// one's plus <paramref name="duration90k"/> (90 kHz). The caller paces frames in real time. False when
    /// not connected, not publishing video, or the queue is full (the frame is dropped, its time still passes).
    /// </summary>
    public bool TrySendVp8(ReadOnlySpan<byte> frame, int duration90k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(duration90k);
        if (_vp8Sender is null || State != PeerConnectionState.Connected || frame.IsEmpty || frame.Length > MaxVideoFrameSize)
        {
            return false;
        }

        if (_options.SendOnCallerThread)
        {
            return SendInline(WorkItemKind.SendVp8, frame, duration90k);
        }

        byte[] buffer = ArrayPool<byte>.Shared.Rent(frame.Length);
        frame.CopyTo(buffer);
        if (TryPost(new WorkItem(WorkItemKind.SendVp8, buffer, frame.Length, duration90k)))
        {
            return true;
        }

        ArrayPool<byte>.Shared.Return(buffer);
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        SetState(PeerConnectionState.Closed);
        _work.Writer.TryComplete();
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        while (_work.Reader.TryRead(out WorkItem item))
        {
            ReturnBuffer(item);
        }

        while (_early.TryDequeue(out (byte[] Buffer, int Length) early))
        {
            DatagramPool.Return(early.Buffer);
        }

        _dtls?.Close();
        if (_ice is not null)
        {
            await _ice.DisposeAsync().ConfigureAwait(false);
        }

        // The receive threads have stopped with ICE; a tick in flight still holds the lock.
        lock (_media)
        {
            _inbound?.Dispose();
            _outbound?.Dispose();
            _history?.Dispose();
            _videoHistory?.Dispose();
            foreach (RemoteTrack track in _tracks)
            {
                track.Dispose();
            }

            while (_retired.TryDequeue(out RemoteTrack? retired))
            {
                retired.Dispose();
            }
        }
    }

    private static uint RandomSsrc()
    {
        Span<byte> bytes = stackalloc byte[4];
        RandomNumberGenerator.Fill(bytes);
        return Math.Max(1u, BitConverter.ToUInt32(bytes));
    }

    private IceAgent StartIce(IceRole role)
    {
        var agent = new IceAgent(
            new IceAgentOptions
            {
                InitialRole = role,
                Interfaces = _options.Interfaces,
                Addresses = _options.Addresses,
                IncludeLoopback = _options.IncludeLoopback,
                EnableIPv6 = _options.EnableIPv6,
                ReceiveBatchInterval = _options.ReceiveBatchInterval,
                TimeProvider = _time,
            },
            OnDatagram);
        agent.StateChanged += s => PostControl(new WorkItem(WorkItemKind.IceState, Value: (int)s));
        agent.Start();
        _ice = agent;
        return agent;
    }

    /// <summary>Starts DTLS (now when we are the server, on ICE connectivity when the client), the loop and its timer.</summary>
    private void StartTransport(DtlsRole role, IReadOnlyList<DtlsFingerprint> remoteFingerprints)
    {
        _dtlsRole = role;
        _dtls = new DtlsSrtpTransport(role, _certificate, remoteFingerprints, new IceDtlsSender(_ice!), _options.Dtls, _time);
        _nextReport = _time.GetTimestamp();
        _loop = Task.Run(RunLoopAsync);
        _timer = _time.CreateTimer(static s => ((PeerConnection)s!).TickInline(), this, _options.TickInterval, _options.TickInterval);
        SetState(PeerConnectionState.Connecting);
        if (role == DtlsRole.Server)
        {
            StartHandshake();
        }
    }

    private void StartHandshake()
    {
        if (_dtlsStarted || _dtls is not { } dtls)
        {
            return;
        }

        _dtlsStarted = true;
        dtls.HandshakeAsync().ContinueWith(
            static (t, s) =>
            {
                var self = (PeerConnection)s!;
                self._dtlsResult = t.IsCompletedSuccessfully ? t.Result : null;
                self.PostControl(new WorkItem(WorkItemKind.DtlsDone));
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>
    /// From the ICE agent's receive thread. RFC 7983: STUN never reaches here, DTLS goes to the DTLS
    /// transport (which copies it), SRTP/SRTCP is handled here under the media lock.
    /// </summary>
    private void OnDatagram(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        switch (DatagramClassifier.Classify(datagram))
        {
            case DatagramKind.Dtls:
                Interlocked.Increment(ref _dtlsReceived);
                if (_dtls is { } dtls)
                {
                    dtls.TryDeliverDatagram(datagram);
                }
                else
                {
                    Interlocked.Increment(ref _dtlsBeforeTransport);
                }

                break;
            case DatagramKind.Rtp:
            case DatagramKind.Rtcp:
                if (datagram.Length > ReceiveBufferSize)
                {
                    Interlocked.Increment(ref _queueDrops);
                    break;
                }

                HandleInline(datagram);
                break;
            default:
                Interlocked.Increment(ref _unrouted);
                break;
        }
    }

    /// <summary>One SRTP/SRTCP datagram on the receive thread: copied into the connection's buffer and unprotected there.</summary>
    private void HandleInline(ReadOnlySpan<byte> datagram)
    {
        lock (_media)
        {
            if (State == PeerConnectionState.Closed)
            {
                return;
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            Span<byte> copy = _receiveBuffer.AsSpan(0, datagram.Length);
            datagram.CopyTo(copy);
            HandleDatagram(copy);
            _loopAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }

    /// <summary>The timer's period on its callback thread: releases held packets, sends NACKs and reports.</summary>
    private void TickInline()
    {
        lock (_media)
        {
            if (State == PeerConnectionState.Closed)
            {
                return;
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            OnTick();
            _loopAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }
    }

    /// <summary>A frame sent on the caller's thread (<see cref="PeerConnectionOptions.SendOnCallerThread"/>).</summary>
    private bool SendInline(WorkItemKind kind, ReadOnlySpan<byte> frame, int value)
    {
        lock (_media)
        {
            if (State != PeerConnectionState.Connected)
            {
                return false;
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            if (kind == WorkItemKind.SendOpus)
            {
                SendOpus(frame, value);
            }
            else
            {
                SendVp8(frame, value);
            }

            _loopAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
            return true;
        }
    }

    private bool TryPost(WorkItem item) => _work.Writer.TryWrite(item);

    /// <summary>State changes must not be lost to a full queue: wait for room instead (rare, off the media path).</summary>
    private void PostControl(WorkItem item)
    {
        if (!_work.Writer.TryWrite(item))
        {
            _ = _work.Writer.WriteAsync(item).AsTask().ContinueWith(static _ => { }, TaskScheduler.Default);
        }
    }

    private static void ReturnBuffer(WorkItem item)
    {
        if (item.Buffer is null)
        {
            return;
        }

        // Video frames exceed the datagram pool's buffer size: they come from the shared pool.
        if (item.Kind == WorkItemKind.SendVp8)
        {
            ArrayPool<byte>.Shared.Return(item.Buffer);
        }
        else
        {
            DatagramPool.Return(item.Buffer);
        }
    }

    private async Task RunLoopAsync()
    {
        ChannelReader<WorkItem> reader = _work.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out WorkItem item))
            {
                lock (_media)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    try
                    {
                        Handle(item);
                    }
                    finally
                    {
                        ReturnBuffer(item);
                        _loopAllocated += GC.GetAllocatedBytesForCurrentThread() - before;
                    }
                }
            }
        }
    }

    private void Handle(WorkItem item)
    {
        switch (item.Kind)
        {
            case WorkItemKind.SendOpus:
                SendOpus(item.Buffer.AsSpan(0, item.Length), item.Value);
                break;
            case WorkItemKind.SendVp8:
                SendVp8(item.Buffer.AsSpan(0, item.Length), item.Value);
                break;
            case WorkItemKind.KeyFrameRequest:
                if (Array.IndexOf(_tracks, item.Track) >= 0)
                {
                    SendReports(item.Track);
                }

                break;
            case WorkItemKind.TracksChanged:
                OnTracksChanged();
                break;
            case WorkItemKind.IceState:
                OnIceState((IceConnectionState)item.Value);
                break;
            case WorkItemKind.DtlsDone:
                OnDtlsDone();
                break;
        }
    }

    private void OnTracksChanged()
    {
        _bySsrc.Clear();
        foreach (RemoteTrack track in _tracks)
        {
            foreach (uint ssrc in track.Ssrcs)
            {
                _bySsrc.TryAdd(ssrc, track);
            }

            if (track.MediaSsrc != 0)
            {
                _bySsrc.TryAdd(track.MediaSsrc, track);
            }
        }

        while (_retired.TryDequeue(out RemoteTrack? retired))
        {
            retired.Dispose();
        }
    }

    private void OnIceState(IceConnectionState state)
    {
        if (state is IceConnectionState.Connected or IceConnectionState.Completed && _dtlsRole == DtlsRole.Client)
        {
            // RFC 5763 §5: the active side sends ClientHello once it has a path to send it on.
            StartHandshake();
        }
        else if (state == IceConnectionState.Failed)
        {
            Fail(PeerConnectionError.IceFailed);
        }
    }

    private void OnDtlsDone()
    {
        DtlsHandshakeResult? result = _dtlsResult;
        if (result is null || !result.IsConnected || result.Keys is null)
        {
            DtlsFailure = result?.Status ?? DtlsHandshakeStatus.Cancelled;
            Fail(PeerConnectionError.DtlsFailed);
            return;
        }

        if (State != PeerConnectionState.Connecting)
        {
            return;
        }

        _inbound = result.Keys.CreateInboundSession();
        _outbound = result.Keys.CreateOutboundSession();
        SetState(PeerConnectionState.Connected);
        ReplayEarly();
    }

    private void Fail(PeerConnectionError error)
    {
        if (State is PeerConnectionState.Failed or PeerConnectionState.Closed)
        {
            return;
        }

        Error = error;
        SetState(PeerConnectionState.Failed);
    }

    private void SetState(PeerConnectionState state)
    {
        int previous = Volatile.Read(ref _state);
        if (previous == (int)state || previous == (int)PeerConnectionState.Closed)
        {
            return;
        }

        Volatile.Write(ref _state, (int)state);
        if (state is PeerConnectionState.Connected or PeerConnectionState.Failed or PeerConnectionState.Closed)
        {
            _settled.TrySetResult(state);
        }

        StateChanged?.Invoke(state);
    }
}
