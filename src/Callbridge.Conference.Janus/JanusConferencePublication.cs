using Callbridge.Janus;
using Callbridge.Janus.VideoRoom;
using Callbridge.WebRtc;
using Microsoft.Extensions.Logging;

namespace Callbridge.Conference.Janus;

/// <summary>
/// The bot's Opus track (and VP8 track when asked for), published on the session's own VideoRoom publisher handle: a <c>publish</c> with the
/// <see cref="PeerConnection"/>'s sendonly offer, Janus's answer applied. The options' transform runs on the
/// connection's loop with the SSRC and RTP timestamp of each frame, before packetization.
/// </summary>
internal sealed partial class JanusConferencePublication : IConferencePublication
{
    private readonly JanusConferenceSession _session;
    private readonly PublicationOptions _options;
    private readonly ILogger _logger;
    private PeerConnection? _connection;
    private JanusRoomConnection? _publishedOn;
    private int _disposed;
    private readonly SemaphoreSlim _republish = new(1, 1);

    public JanusConferencePublication(JanusConferenceSession session, PublicationOptions options, ILogger logger)
    {
        _session = session;
        _options = options;
        _logger = logger;
    }

    /// <summary>The SSRC of the current publication; a new one after Janus was lost and the track republished.</summary>
    public uint Ssrc { get; private set; }

    internal PeerConnection? Connection => Volatile.Read(ref _connection);

    /// <summary>The session lost Janus: the media path is gone (sends fail until <see cref="Reconnected"/> republished).</summary>
    public void ConnectionLost()
    {
        PeerConnection? old = Interlocked.Exchange(ref _connection, null);
        if (old is not null)
        {
            Interlocked.Add(ref _keyFrameRequestsBefore, old.KeyFrameRequestsReceived);
            Interlocked.Add(ref _videoFramesBefore, old.VideoFramesSent);
            _ = old.DisposeAsync().AsTask();
        }
    }

    /// <summary>The session rejoined: publish again on the new connection, in the background.</summary>
    public void Reconnected() => _ = Task.Run(async () =>
    {
        await _republish.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Volatile.Read(ref _disposed) == 0 && Volatile.Read(ref _connection) is null)
            {
                await StartAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (ConferenceException e)
        {
            LogRepublishFailed(e.Message);
        }
        finally
        {
            _republish.Release();
        }
    });

    public bool TrySendOpus(ReadOnlySpan<byte> opusPacket, int samples48k = 960) =>
        Volatile.Read(ref _connection) is { } connection && connection.TrySendOpus(opusPacket, samples48k);

    public uint? VideoSsrc { get; private set; }

    public event Action? KeyFrameRequested;

    /// <summary>Counted across republications, so a rejoin does not reset what a caller reads.</summary>
    public long KeyFrameRequests => _keyFrameRequestsBefore + (Volatile.Read(ref _connection)?.KeyFrameRequestsReceived ?? 0);

    public long VideoFramesSent => _videoFramesBefore + (Volatile.Read(ref _connection)?.VideoFramesSent ?? 0);

    private long _keyFrameRequestsBefore;
    private long _videoFramesBefore;

    public bool TrySendVp8(ReadOnlySpan<byte> frame, int duration90k = 3000) =>
        Volatile.Read(ref _connection) is { } connection && connection.TrySendVp8(frame, duration90k);

    /// <summary>Publishes on the session's current connection and waits until the media path is up.</summary>
    public async Task StartAsync(CancellationToken ct)
    {
        JanusRoomConnection room = _session.Connection
            ?? throw new ConferenceException(ConferenceErrorKind.SfuUnavailable, "The session is not connected to Janus.");
        JanusConferenceOptions options = _session.Options;
        var peer = new PeerConnection(options.CreatePeerConnectionOptions());
        if (_options.Transform is { } transform)
        {
            peer.SendTransform = (frame, ssrc, timestamp, output) => transform(frame, ssrc, timestamp, output);
        }

        peer.KeyFrameRequested = () => KeyFrameRequested?.Invoke();

        try
        {
            PeerConnectionError error = peer.TryCreatePublishOffer(_options.Video, out string? offer);
            if (error != PeerConnectionError.None)
            {
                throw new ConferenceException(ConferenceErrorKind.SfuUnavailable, "Could not create the publish offer: " + error);
            }

            // A require_e2ee room admits only publishers that say they encrypt; with a sender transform, the bot does.
            JanusJsep answer = await JanusRoomConnection.Translate(() => room.Room.PublishAsync(JanusJsep.Offer(offer!, e2ee: _options.Transform is not null), cancellationToken: ct)).ConfigureAwait(false);
            error = peer.TryApplyAnswer(answer.Sdp);
            if (error != PeerConnectionError.None)
            {
                throw new ConferenceException(ConferenceErrorKind.SfuUnavailable, "Janus's answer to the audio offer was refused: " + error);
            }

            PeerConnectionState state;
            try
            {
                state = await peer.WaitSettledAsync(options.MediaConnectTimeout, ct).ConfigureAwait(false);
            }
            catch (PeerConnectionTimeoutException e)
            {
                // The message names what ICE and DTLS did (checks per pair, the peer's requests and our answers).
                throw new ConferenceException(ConferenceErrorKind.SfuUnavailable, $"The audio publication was not up within {options.MediaConnectTimeout.TotalSeconds:0} s: {e.Diagnostics}", e);
            }

            if (state != PeerConnectionState.Connected)
            {
                throw new ConferenceException(ConferenceErrorKind.SfuUnavailable, $"The audio publication's media connection failed: {peer.Error} {peer.DtlsFailure}; {await peer.GetDiagnosticsAsync().ConfigureAwait(false)}");
            }

            if (_options.Video && peer.SendVideoSsrc is null)
            {
                throw new ConferenceException(ConferenceErrorKind.Rejected, "Janus did not accept the VP8 track (the room's video codec is not VP8?).");
            }

            Ssrc = peer.SendSsrc ?? 0;
            VideoSsrc = peer.SendVideoSsrc;
            _publishedOn = room;
            Volatile.Write(ref _connection, peer);
            LogPublished(_session.Room, Ssrc, VideoSsrc);
        }
        catch
        {
            await peer.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _session.Forget(this);
        await _republish.WaitAsync().ConfigureAwait(false);
        _republish.Release();
        PeerConnection? connection = Interlocked.Exchange(ref _connection, null);
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        // Unpublish only on the connection it was published on: after a rejoin that publication is gone with its Janus.
        if (_publishedOn is { } room && ReferenceEquals(room, _session.Connection))
        {
            try
            {
                await room.Room.UnpublishAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is JanusException or HttpRequestException or OperationCanceledException)
            {
                // Janus drops the publication with the PeerConnection anyway.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Republishing the audio track after a rejoin failed: {Reason}")]
    private partial void LogRepublishFailed(string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing in room {Room}: audio SSRC {Ssrc}, video SSRC {VideoSsrc}")]
    private partial void LogPublished(long room, uint ssrc, uint? videoSsrc);
}
