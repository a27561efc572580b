using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Callbridge.Media.Clock;
using Callbridge.Rtp;
using Callbridge.Udp;

namespace Callbridge.PhoneMedia;

/// <summary>
/// The media of one phone call: G.711 over RTP/UDP (RFC 3550, RFC 3551) with 20 ms packets paced by an
/// <see cref="IMediaClock"/> (the process's shared clock, or a timer of the injected <see cref="TimeProvider"/>), symmetric RTP (RFC 4961), a jitter buffer with
/// silence concealment on receive, RFC 4733 DTMF both ways and SIP INFO DTMF reported alike.
/// Per frame nothing is allocated: the receiver and the socket address are reused, the timer keeps one
/// frame buffer per direction.
/// </summary>
/// <remarks>
/// Receiving happens on the clock tick too: each tick first takes whatever the socket queued (one recvmmsg
/// call), then plays and sends its frame. A phone sends a packet every 20 ms, so a receive loop of its own
/// would wake a thread 50 times a second per call for what the next tick needs anyway; taken on the tick,
/// the receive costs no wake at all. The kernel's arrival stamp goes with each packet, so the jitter buffer's
/// wait for a missing packet, DTMF timing and <see cref="Observer"/> count from the real arrival.
/// Threads: the clock tick, SIP INFO and the owner's calls meet under <c>_gate</c>, which guards the playout,
/// the DTMF state, the negotiated parameters and the send address; <c>_receiveGate</c> keeps the receiver
/// alive while a tick uses it. Sources, sinks and <see cref="DigitReceived"/> are called outside both locks.
/// Invariant: <c>_sendAddress</c> is null until <see cref="Start"/>; <c>_lastTick</c> is the clock tick whose
/// frame went out last (frames owed = tick now - <c>_lastTick</c>).
/// </remarks>
public sealed class PhoneRtpSession : IAsyncDisposable
{
    /// <summary>8 kHz, the G.711 clock (RFC 3551 §4.5.14).</summary>
    public const int ClockRate = 8000;

    /// <summary>20 ms per packet: RFC 3551's default ptime for G.711.</summary>
    public const int FrameSamples = 160;

    /// <summary>One UDP datagram: nothing received over the MTU-bound paths here is larger.</summary>
    private const int ReceiveBufferSize = 1500;

    /// <summary>Datagrams taken per system call: a tick normally finds one, a stalled one a few more.</summary>
    private const int ReceiveBatch = 8;

    private static readonly TimeSpan FrameDuration = TimeSpan.FromMilliseconds(20);

    private readonly Socket _socket;
    private readonly TimeProvider _time;
    private readonly PhoneRtpSessionOptions _options;
    private readonly Lock _gate = new();
    private readonly PhonePlayout _playout;
    private readonly DtmfReceiver _dtmfReceiver;
    private readonly DtmfSender _dtmfSender = new(FrameSamples);
    private readonly Lock _receiveGate = new();
    private readonly UdpBatchReceiver? _receiver;
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferSize];
    private readonly SocketAddress _receiveAddress;
    private readonly byte[] _sendBuffer = new byte[RtpPacket.FixedHeaderLength + FrameSamples];
    private readonly byte[] _payload = new byte[FrameSamples];
    private readonly short[] _txFrame = new short[FrameSamples];
    private readonly short[] _rxFrame = new short[FrameSamples];
    // Each datagram yields at most two digits (DtmfReceiver): room for a whole batch's.
    private readonly DtmfDigit[] _receivedDigits = new DtmfDigit[2 * ReceiveBatch];
    private readonly IMediaClock _clock;
    private readonly uint _ssrc;

    private PhoneMediaParameters? _parameters;
    private SocketAddress? _sendAddress;
    private IPEndPoint? _latched;
    private IDisposable? _timer;
    private bool _receiverClosed;
    private long _lastTick;
    private int _ticking;
    private ushort _sequence;
    private uint _timestamp;
    private bool _talkspurtStart = true;
    private TaskCompletionSource _digitsSent = NewCompleted();
    private bool _disposed;

    private long _packetsSent;
    private long _packetsReceived;
    private long _packetsIgnored;
    private long _framesPlayed;
    private long _framesConcealed;
    private long _digitsReceived;
    private long _relatches;
    private long _framesSkipped;
    private long _lateTicks;
    private long _sourceShortFrames;

    private PhoneRtpSession(Socket socket, PhoneRtpSessionOptions options, TimeProvider time, IMediaClock clock, bool batchReceive)
    {
        _socket = socket;
        _options = options;
        _time = time;
        _clock = clock;
        _playout = new PhonePlayout(options, time, FrameSamples);
        _dtmfReceiver = new DtmfReceiver(time, ClockRate);
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _receiveAddress = new SocketAddress(LocalEndPoint.AddressFamily);
        _receiver = batchReceive ? UdpBatchReceiver.TryCreate(socket, ReceiveBufferSize, ReceiveBatch, arrivalTimes: true) : null;
        // RFC 3550 §5.1: SSRC, first sequence number and first timestamp are random.
        _ssrc = (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
        _sequence = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        _timestamp = (uint)RandomNumberGenerator.GetInt32(int.MinValue, int.MaxValue);
    }

    /// <summary>Where this session receives RTP: the address and port for our SDP.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Our RTP SSRC.</summary>
    public uint Ssrc => _ssrc;

    /// <summary>The negotiated parameters in force, null before <see cref="Start"/>.</summary>
    public PhoneMediaParameters? Parameters
    {
        get
        {
            lock (_gate)
            {
                return _parameters;
            }
        }
    }

    /// <summary>Where the peer's media really comes from, once a packet arrived (symmetric RTP).</summary>
    public IPEndPoint? LatchedRemote
    {
        get
        {
            lock (_gate)
            {
                return _latched;
            }
        }
    }

    /// <summary>What the phone hears; pulled every 20 ms. Null sends silence.</summary>
    public IPhoneAudioSource? AudioSource { get; set; }

    /// <summary>Gets the caller's audio every 20 ms after the jitter buffer. Null drops it.</summary>
    public IPhoneAudioSink? AudioSink { get; set; }

    /// <summary>Sees each datagram received and packet sent (delay measurement); null costs one check per packet.</summary>
    public IPhoneRtpObserver? Observer { get; set; }

    /// <summary>Frames lost because <see cref="AudioSink"/> or <see cref="AudioSource"/> threw.</summary>
    public long CallbackFailures => Interlocked.Read(ref _callbackFailures);

    /// <summary>The last exception an audio callback threw, for the call's log.</summary>
    public Exception? LastCallbackFailure { get; private set; }

    /// <summary>A digit, reported once, from RFC 4733 packets or a SIP INFO; raised on the session's threads.</summary>
    public event Action<DtmfDigit>? DigitReceived;

    /// <summary>Completes when every digit queued by <see cref="SendDigits"/> has been sent.</summary>
    public Task WhenDigitsSent
    {
        get
        {
            lock (_gate)
            {
                return _digitsSent.Task;
            }
        }
    }

    public PhoneRtpStatistics Statistics
    {
        get
        {
            lock (_gate)
            {
                return new PhoneRtpStatistics
                {
                    PacketsSent = _packetsSent,
                    PacketsReceived = _packetsReceived,
                    PacketsIgnored = _packetsIgnored,
                    FramesPlayed = _framesPlayed,
                    FramesConcealed = _framesConcealed,
                    SamplesDropped = _playout.SamplesDropped,
                    QuietFramesDropped = _playout.QuietFramesDropped,
                    PlayoutBacklogSamples = _playout.BacklogSamples,
                    PacketsLost = _playout.PacketsLost,
                    DigitsReceived = _digitsReceived,
                    DtmfDuplicates = _dtmfReceiver.Duplicates,
                    DigitsSent = _dtmfSender.EventsSent,
                    Relatches = _relatches,
                    FramesSkipped = _framesSkipped,
                    LateTicks = _lateTicks,
                    SourceShortFrames = _sourceShortFrames,
                };
            }
        }
    }

    /// <summary>
    /// Binds a UDP socket on <paramref name="localAddress"/> (an even port in the configured range, or any).
    /// Without a <paramref name="clock"/> the session is paced by <see cref="SharedMediaClock.Default"/> in real
    /// time, or by a timer of <paramref name="time"/> when another time provider is given (tests drive it).
    /// </summary>
    public static PhoneRtpSession Open(IPAddress localAddress, PhoneRtpSessionOptions? options = null, TimeProvider? time = null, IMediaClock? clock = null) =>
        Open(localAddress, options, time, clock, batchReceive: true);

    /// <summary>As the public <c>Open</c>; without <paramref name="batchReceive"/> the session takes its socket as it does where recvmmsg is missing (tests).</summary>
    internal static PhoneRtpSession Open(IPAddress localAddress, PhoneRtpSessionOptions? options, TimeProvider? time, IMediaClock? clock, bool batchReceive)
    {
        ArgumentNullException.ThrowIfNull(localAddress);
        options ??= new PhoneRtpSessionOptions();
        time ??= TimeProvider.System;
        clock ??= time == TimeProvider.System ? SharedMediaClock.Default : new TimerMediaClock(time, FrameDuration);
        if (clock.Period != FrameDuration)
        {
            throw new ArgumentException($"A phone RTP session sends a frame every {FrameDuration.TotalMilliseconds} ms; the clock ticks every {clock.Period.TotalMilliseconds} ms.", nameof(clock));
        }

        Socket socket = Bind(localAddress, options);
        try
        {
            return new PhoneRtpSession(socket, options, time, clock, batchReceive);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Starts receiving and the 20 ms send timer, towards <paramref name="parameters"/>' remote.</summary>
    public void Start(PhoneMediaParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_timer is not null)
            {
                throw new InvalidOperationException("The session is already started; use Update for a re-INVITE.");
            }

            ApplyLocked(parameters);
            _lastTick = 0;
            _timer = _clock.Register(static (s, tick) => ((PhoneRtpSession)s!).OnTick(tick), this, _options.ClockGroup);
        }
    }

    /// <summary>New parameters from a re-INVITE: remote address, codec, telephone-event type, direction (hold).</summary>
    public void Update(PhoneMediaParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        lock (_gate)
        {
            bool wasSending = _parameters?.CanSend ?? false;
            ApplyLocked(parameters);
            if (!wasSending && parameters.CanSend)
            {
                _talkspurtStart = true;
            }

            if (!parameters.CanReceive)
            {
                _playout.Clear();
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="digits"/> (0-9, *, #, A-D; others are skipped) as RFC 4733 events of
    /// <paramref name="toneDuration"/> (100 ms by default, above the 40 ms Q.24 minimum with margin).
    /// Needs a negotiated telephone-event payload type.
    /// </summary>
    public void SendDigits(string digits, TimeSpan? toneDuration = null)
    {
        ArgumentNullException.ThrowIfNull(digits);
        int samples = (int)((toneDuration ?? TimeSpan.FromMilliseconds(100)).TotalSeconds * ClockRate);
        lock (_gate)
        {
            if (_parameters?.TelephoneEventPayloadType is null)
            {
                throw new InvalidOperationException("The peer negotiated no telephone-event payload type; send DTMF with SIP INFO.");
            }

            bool queued = false;
            foreach (char c in digits)
            {
                if (DtmfEvents.TryGetEvent(c, out byte code))
                {
                    _dtmfSender.Enqueue(code, samples);
                    queued = true;
                }
            }

            if (queued && _digitsSent.Task.IsCompleted)
            {
                _digitsSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    /// <summary>
    /// Hands a SIP INFO body to the session: a DTMF body (application/dtmf-relay or application/dtmf) raises
    /// <see cref="DigitReceived"/> and returns true; anything else returns false and the parse error.
    /// </summary>
    public bool ReportSipInfo(string? contentType, ReadOnlySpan<byte> body, out SipInfoDtmfError error)
    {
        error = SipInfoDtmf.TryParse(contentType, body, out DtmfDigit digit);
        if (error != SipInfoDtmfError.None)
        {
            return false;
        }

        lock (_gate)
        {
            _digitsReceived++;
        }

        DigitReceived?.Invoke(digit);
        return true;
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
            _timer?.Dispose();
            _digitsSent.TrySetCanceled();
        }

        // A tick already under way may be inside the receiver: its native buffers go only after it is out.
        lock (_receiveGate)
        {
            _receiverClosed = true;
            _receiver?.Dispose();
            _socket.Dispose();
        }

        lock (_gate)
        {
            _playout.Dispose();
        }

        return ValueTask.CompletedTask;
    }

    private static Socket Bind(IPAddress localAddress, PhoneRtpSessionOptions options)
    {
        var socket = new Socket(localAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (options.PortMin <= 0)
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
                return socket;
            }

            // Even ports (RFC 3550 §11), from a random start so consecutive calls do not race for one port.
            int first = options.PortMin + (options.PortMin & 1);
            int count = ((options.PortMax - first) / 2) + 1;
            int offset = count > 0 ? RandomNumberGenerator.GetInt32(count) : 0;
            for (int i = 0; i < count; i++)
            {
                int port = first + (2 * ((offset + i) % count));
                try
                {
                    socket.Bind(new IPEndPoint(localAddress, port));
                    return socket;
                }
                catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
                {
                    // Taken: try the next one.
                }
            }

            throw new SocketException((int)SocketError.AddressAlreadyInUse);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static TaskCompletionSource NewCompleted()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tcs.SetResult();
        return tcs;
    }

    private void ApplyLocked(PhoneMediaParameters parameters)
    {
        bool remoteChanged = _parameters is null || !_parameters.Remote.Equals(parameters.Remote);
        _parameters = parameters;
        if (remoteChanged || !_options.SymmetricRtp || _latched is null)
        {
            // A new SDP address wins until media from the peer shows where it really is.
            _sendAddress = parameters.Remote.Serialize();
            _latched = null;
        }
    }

    /// <summary>
    /// Takes every datagram the socket queued since the last tick, a batch per system call, and raises the digits
    /// they completed once the receiver is let go.
    /// </summary>
    private void TakeReceived()
    {
        while (true)
        {
            int digits;
            bool more;
            lock (_receiveGate)
            {
                if (_receiverClosed)
                {
                    return;
                }

                digits = _receiver is null ? TakeReceivedOneByOne(out more) : TakeReceivedBatch(_receiver, out more);
            }

            for (int i = 0; i < digits; i++)
            {
                DigitReceived?.Invoke(_receivedDigits[i]);
            }

            if (!more)
            {
                return;
            }
        }
    }

    /// <summary>What the next tick would take first, taken now (tests wait for datagrams they sent).</summary>
    internal void TakeReceivedNow() => TakeReceived();

    private int TakeReceivedBatch(UdpBatchReceiver receiver, out bool more)
    {
        more = false;
        if (receiver.Receive() != UdpBatchStatus.Received)
        {
            // Empty, or closed under us (disposal takes this lock first, so only an outside close).
            return 0;
        }

        long now = _time.GetTimestamp();
        int digits = 0;
        for (int i = 0; i < receiver.Count; i++)
        {
            if (receiver.TryGet(i, _receiveAddress, out ReadOnlySpan<byte> datagram))
            {
                // In seconds: ticks times a nanosecond frequency would overflow past a quarter of an hour's wait.
                long arrival = now - (long)(receiver.GetTimeQueued(i).TotalSeconds * _time.TimestampFrequency);
                Observer?.OnRtpReceived(datagram, arrival);
                digits += OnDatagram(datagram, arrival, _receivedDigits.AsSpan(digits));
            }
            else
            {
                // Cut to the buffer: nothing a phone sends is that large.
                lock (_gate)
                {
                    _packetsIgnored++;
                }
            }
        }

        more = receiver.Count == ReceiveBatch;
        return digits;
    }

    /// <summary>
    /// Where recvmmsg is missing: one datagram per call while the socket polls readable. Not FIONREAD: it reads 0
    /// for an empty datagram as for an empty queue, and nothing else would take that datagram from the queue's head.
    /// </summary>
    private int TakeReceivedOneByOne(out bool more)
    {
        more = false;
        int digits = 0;
        while (digits <= _receivedDigits.Length - 2)
        {
            int length;
            try
            {
                if (!_socket.Poll(0, SelectMode.SelectRead))
                {
                    return digits;
                }

                length = _socket.ReceiveFrom(_receiveBuffer, SocketFlags.None, _receiveAddress);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
            {
                // An ICMP port unreachable for an earlier send: the peer is not listening yet.
                continue;
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return digits;
            }

            long arrival = _time.GetTimestamp();
            Observer?.OnRtpReceived(_receiveBuffer.AsSpan(0, length), arrival);
            digits += OnDatagram(_receiveBuffer.AsSpan(0, length), arrival, _receivedDigits.AsSpan(digits));
        }

        more = true;
        return digits;
    }

    /// <summary>One datagram as if it had just arrived, its digits raised at once (tests feed it directly).</summary>
    internal void OnDatagram(ReadOnlySpan<byte> datagram)
    {
        Span<DtmfDigit> digits = stackalloc DtmfDigit[2];
        int count = OnDatagram(datagram, _time.GetTimestamp(), digits);
        for (int i = 0; i < count; i++)
        {
            DigitReceived?.Invoke(digits[i]);
        }
    }

    /// <summary>Plays, ignores or reads DTMF from one datagram; the digits it completed go to <paramref name="digitsOut"/> (room for two).</summary>
    private int OnDatagram(ReadOnlySpan<byte> datagram, long arrival, Span<DtmfDigit> digitsOut)
    {
        lock (_gate)
        {
            PhoneMediaParameters? p = _parameters;
            if (_disposed)
            {
                return 0;
            }

            // RFC 5761 §4: RTCP on the RTP port has payload types 72-76 in the RTP view; not ours to play.
            if (p is null
                || RtpPacket.TryParse(datagram, out RtpPacket rtp, out _) != RtpParseError.None
                || rtp.PayloadType is >= 72 and <= 76)
            {
                _packetsIgnored++;
                return 0;
            }

            bool isAudio = rtp.PayloadType == p.PayloadType;
            bool isEvent = p.TelephoneEventPayloadType is { } te && rtp.PayloadType == te;
            if (!isAudio && !isEvent)
            {
                _packetsIgnored++;
                return 0;
            }

            _packetsReceived++;
            Latch();
            if (isEvent)
            {
                int digits = _dtmfReceiver.OnPacket(rtp.Payload, rtp.Timestamp, rtp.Marker, arrival, digitsOut);
                _digitsReceived += digits;
                return digits;
            }

            if (p.CanReceive)
            {
                _playout.Insert(datagram, arrival);
            }

            return 0;
        }
    }

    private void Latch()
    {
        if (!_options.SymmetricRtp || (_sendAddress is not null && _latched is not null && _receiveAddress.Equals(_sendAddress)))
        {
            return;
        }

        // RFC 4961 §3: send from and to the addresses media is received on. Allocates only on a change.
        var address = new SocketAddress(_receiveAddress.Family, _receiveAddress.Size);
        _receiveAddress.Buffer.Span[.._receiveAddress.Size].CopyTo(address.Buffer.Span);
        if (_latched is not null)
        {
            _relatches++;
        }

        _sendAddress = address;
        _latched = (IPEndPoint)new IPEndPoint(IPAddress.Any, 0).Create(address);
    }

    private long _callbackFailures;

    private void OnTick(long tick)
    {
        if (Interlocked.Exchange(ref _ticking, 1) == 1)
        {
            // The previous callback is still running; it catches up on the frames due.
            return;
        }

        try
        {
            long due;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                due = tick - _lastTick;
                _lastTick = Math.Max(_lastTick, tick);
                if (due > 1)
                {
                    // The callback came a frame or more after its slot: the frames due go out in a burst.
                    _lateTicks++;
                }

                if (due > _options.MaxCatchUpFrames)
                {
                    // Stalled too long to send the backlog at once: skip it, keep the clock.
                    _framesSkipped += due - 1;
                    AdvanceTimestampLocked(due - 1);
                    due = 1;
                }
            }

            TakeReceived();
            for (long i = 0; i < due; i++)
            {
                Frame();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A timer callback that throws would take the whole process (and every other call) down:
            // a failing audio sink or source costs this frame only, and is counted for the call's owner.
            Interlocked.Increment(ref _callbackFailures);
            LastCallbackFailure = e;
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    private void Frame()
    {
        // Receive direction: one frame out of the jitter buffer, silence when none.
        bool complete;
        PhoneCodec codec;
        lock (_gate)
        {
            if (_disposed)
            {
                // A callback already under way when the timer was disposed: the playout is gone.
                return;
            }

            codec = _parameters!.Codec;
            complete = _playout.ReadFrame(_rxFrame, codec);
            _framesPlayed++;
            if (!complete)
            {
                _framesConcealed++;
            }
        }

        AudioSink?.OnPhoneAudio(_rxFrame, concealed: !complete);

        // Send direction: the source is read every frame, also on hold, so a prompt keeps its pace.
        IPhoneAudioSource? source = AudioSource;
        int read = source?.Read(_txFrame) ?? 0;
        _txFrame.AsSpan(Math.Clamp(read, 0, FrameSamples)).Clear();

        DtmfDigit expired = default;
        bool hasExpired;
        lock (_gate)
        {
            // A digit whose end packets are lost ends after a quiet spell. This tick took the socket's queue
            // first, so no end packet that arrived is still waiting unread.
            hasExpired = _dtmfReceiver.TryExpire(_time.GetTimestamp(), out expired);
            if (hasExpired)
            {
                _digitsReceived++;
            }

            if (source is not null && read < FrameSamples)
            {
                _sourceShortFrames++;
            }

            SendFrameLocked();
        }

        if (hasExpired)
        {
            DigitReceived?.Invoke(expired);
        }
    }

    private void SendFrameLocked()
    {
        PhoneMediaParameters p = _parameters!;
        uint tickTimestamp = _timestamp;
        AdvanceTimestampLocked(1);
        if (!p.CanSend || _sendAddress is null)
        {
            _talkspurtStart = true;
            return;
        }

        RtpPacket packet;
        if (p.TelephoneEventPayloadType is { } te
            && _dtmfSender.TryNext(tickTimestamp, _payload, out bool eventMarker, out uint eventTimestamp))
        {
            packet = new RtpPacket
            {
                Marker = eventMarker,
                PayloadType = (byte)te,
                SequenceNumber = _sequence++,
                Timestamp = eventTimestamp,
                Ssrc = _ssrc,
                Payload = _payload.AsSpan(0, TelephoneEvent.Length),
            };
        }
        else
        {
            if (_dtmfSender.IsIdle && !_digitsSent.Task.IsCompleted)
            {
                _digitsSent.TrySetResult();
            }

            G711.Encode(p.Codec, _txFrame, _payload);
            packet = new RtpPacket
            {
                // RFC 3551 §4.1: the marker flags the first packet of a talkspurt (start, end of hold).
                Marker = _talkspurtStart,
                PayloadType = (byte)p.PayloadType,
                SequenceNumber = _sequence++,
                Timestamp = tickTimestamp,
                Ssrc = _ssrc,
                Payload = _payload,
            };
            _talkspurtStart = false;
        }

        int length = packet.WriteTo(_sendBuffer);
        try
        {
            _socket.SendTo(_sendBuffer.AsSpan(0, length), SocketFlags.None, _sendAddress);
            _packetsSent++;
            Observer?.OnRtpSent(_sendBuffer.AsSpan(0, length), _time.GetTimestamp());
        }
        catch (SocketException)
        {
            // UDP: an unreachable peer (ICMP) or a full buffer loses this packet only.
        }
        catch (ObjectDisposedException)
        {
            // Disposed between the check and the send.
        }
    }

    private void AdvanceTimestampLocked(long frames) =>
        // RFC 3550 §5.1: the timestamp follows the sampling clock, also across frames not sent.
        _timestamp = unchecked(_timestamp + (uint)(frames * FrameSamples));
}
