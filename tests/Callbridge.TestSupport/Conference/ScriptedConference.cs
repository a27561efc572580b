using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Callbridge.Conference;

namespace Callbridge.TestSupport.Conference;

/// <summary>
/// A conference a unit test scripts: it decides what the SFU says (probe, roster events, policy) and which
/// frames arrive, and sees what the bot publishes. For gateway logic only; the real proofs use Janus.
/// </summary>
public sealed class ScriptedConference : IConferenceConnector
{
    private readonly ConcurrentQueue<ScriptedConferenceSession> _sessions = new();
    private int _joins;

    public ScriptedConference(string conferenceId, bool requiresE2ee = false)
    {
        ConferenceId = conferenceId;
        RequiresE2ee = requiresE2ee;
    }

    public string ConferenceId { get; }

    public bool RequiresE2ee { get; set; }

    /// <summary>
    /// A connector that subscribes to every track its kinds allow, ignoring <see cref="SubscriptionRequest.Excludes"/>
    /// (the contract allows no such connector; a gateway that relies on it must still be correct without it).
    /// </summary>
    public bool IgnoresExcludes { get; set; }

    /// <summary>When set, <see cref="JoinAsync"/> throws it (an SFU that refuses or is down).</summary>
    public ConferenceException? JoinFailure { get; set; }

    /// <summary>Sessions joined so far, oldest first.</summary>
    public IReadOnlyList<ScriptedConferenceSession> Sessions => [.. _sessions];

    public Task<ConferenceProbe> ProbeAsync(string conferenceId, CancellationToken cancellationToken) =>
        Task.FromResult(new ConferenceProbe(conferenceId, conferenceId == ConferenceId, RequiresE2ee, 0, null));

    public Task<IConferenceSession> JoinAsync(ConferenceJoinRequest request, CancellationToken cancellationToken)
    {
        if (JoinFailure is not null) throw JoinFailure;
        if (request.ConferenceId != ConferenceId) throw new ConferenceException(ConferenceErrorKind.NotFound, $"No conference {request.ConferenceId}.");
        var session = new ScriptedConferenceSession(request, RequiresE2ee, "bot-" + Interlocked.Increment(ref _joins).ToString(CultureInfo.InvariantCulture))
        {
            IgnoresExcludes = IgnoresExcludes,
        };
        _sessions.Enqueue(session);
        return Task.FromResult<IConferenceSession>(session);
    }
}

/// <summary>The bot's session in a <see cref="ScriptedConference"/>.</summary>
public sealed class ScriptedConferenceSession : IConferenceSession
{
    private readonly Channel<ConferenceEvent> _events = Channel.CreateUnbounded<ConferenceEvent>();
    private readonly ConferenceRoster _roster = new();
    private readonly List<ScriptedSubscription> _subscriptions = [];
    private readonly Lock _gate = new();

    internal ScriptedConferenceSession(ConferenceJoinRequest request, bool requiresE2ee, string participantId)
    {
        Request = request;
        RequiresE2ee = requiresE2ee;
        ParticipantId = participantId;
    }

    /// <summary>"bot-1", "bot-2", ... in the order the sessions joined.</summary>
    public string? ParticipantId { get; }

    public ConferenceJoinRequest Request { get; }

    public string ConferenceId => Request.ConferenceId;

    public IReadOnlyList<ConferenceParticipant> Participants { get { lock (_gate) return _roster.Participants; } }

    public bool RequiresE2ee { get; private set; }

    /// <summary>This session's subscriptions ignore <see cref="SubscriptionRequest.Excludes"/> (see the conference's).</summary>
    public bool IgnoresExcludes { get; init; }

    public ChannelReader<ConferenceEvent> Events => _events.Reader;

    public bool HasLeft { get; private set; }

    /// <summary>Every audio publication the bot opened.</summary>
    public List<ScriptedAudioPublication> Publications { get; } = [];

    public IReadOnlyList<ScriptedSubscription> Subscriptions { get { lock (_gate) return [.. _subscriptions]; } }

    /// <summary>A participant joins with its tracks (events and roster as a real SFU would produce them).</summary>
    public void Join(string participantId, string display, params (string Mid, TrackKind Kind, string Codec)[] tracks)
    {
        PublishedTrack[] published = [.. tracks.Select(t => new PublishedTrack($"{participantId}/{t.Mid}", participantId, t.Mid, t.Kind, t.Codec))];
        var participant = new ConferenceParticipant(participantId, display, published);
        IReadOnlyList<ConferenceEvent> changes;
        lock (_gate)
        {
            var next = _roster.Participants.Where(p => p.ParticipantId != participantId).Append(participant).ToList();
            changes = _roster.Replace(DateTimeOffset.UtcNow, next);
        }
        foreach (ConferenceEvent change in changes) _events.Writer.TryWrite(change);
        foreach (ScriptedSubscription subscription in Subscriptions)
            foreach (PublishedTrack track in published) subscription.Offer(track);
    }

    /// <summary>A participant leaves; its subscribed tracks end.</summary>
    public void Leave(string participantId)
    {
        IReadOnlyList<ConferenceEvent> changes;
        lock (_gate) changes = _roster.Replace(DateTimeOffset.UtcNow, [.. _roster.Participants.Where(p => p.ParticipantId != participantId)]);
        foreach (ConferenceEvent change in changes) _events.Writer.TryWrite(change);
        foreach (ScriptedSubscription subscription in Subscriptions) subscription.EndParticipant(participantId, "participant left");
    }

    /// <summary>The SFU reports a new room policy.</summary>
    public void SetPolicy(bool requiresE2ee)
    {
        RequiresE2ee = requiresE2ee;
        _events.Writer.TryWrite(new ConferencePolicyChanged(DateTimeOffset.UtcNow, requiresE2ee));
    }

    /// <summary>The conference ends (destroyed); the events channel completes.</summary>
    public void End(string reason)
    {
        _events.Writer.TryWrite(new ConferenceEnded(DateTimeOffset.UtcNow, reason));
        _events.Writer.TryComplete();
    }

    /// <summary>Delivers one frame of <paramref name="trackId"/> to every subscription that holds the track.</summary>
    /// <param name="receivedTimestamp">When the frame was complete, as a <see cref="TimeProvider.System"/> timestamp; now when null.</param>
    public void Deliver(string trackId, ReadOnlySpan<byte> data, uint rtpTimestamp, bool keyFrame = false, bool looksEncrypted = false,
        DateTimeOffset? senderTime = null, uint ssrc = 1, long? receivedTimestamp = null, bool afterLoss = false)
    {
        foreach (ScriptedSubscription subscription in Subscriptions)
        {
            PublishedTrack? track = subscription.Tracks.FirstOrDefault(t => t.TrackId == trackId);
            if (track is null) continue;
            var frame = new ConferenceFrame
            {
                Track = track,
                Ssrc = ssrc,
                RtpTimestamp = rtpTimestamp,
                ClockRate = track.Kind == TrackKind.Audio ? 48000 : 90000,
                IsKeyFrame = keyFrame,
                AfterLoss = afterLoss,
                LooksEncrypted = looksEncrypted,
                SenderTime = senderTime,
                ReceivedTimestamp = receivedTimestamp ?? TimeProvider.System.GetTimestamp(),
                Data = data,
            };
            subscription.Sink.OnFrame(frame);
        }
    }

    /// <summary>The detector's verdict on a track, as the media core would report it.</summary>
    public void MarkEncrypted(string trackId, string format = "jframe")
    {
        foreach (ScriptedSubscription subscription in Subscriptions)
        {
            PublishedTrack? track = subscription.Tracks.FirstOrDefault(t => t.TrackId == trackId);
            if (track is not null) subscription.Sink.OnTrackEncrypted(track, format);
        }
    }

    public Task<IConferenceSubscription> SubscribeAsync(SubscriptionRequest request, IConferenceMediaSink sink, CancellationToken cancellationToken)
    {
        var subscription = new ScriptedSubscription(IgnoresExcludes ? request with { Excludes = null } : request, sink);
        lock (_gate) _subscriptions.Add(subscription);
        foreach (ConferenceParticipant participant in Participants)
            foreach (PublishedTrack track in participant.Tracks) subscription.Offer(track);
        return Task.FromResult<IConferenceSubscription>(subscription);
    }

    public Task<IConferenceAudioPublication> PublishAudioAsync(AudioPublicationOptions options, CancellationToken cancellationToken)
    {
        if (Request.Role != BotRole.SubscriberAndPublisher)
            throw new ConferenceException(ConferenceErrorKind.Rejected, "The bot joined as a subscriber and cannot publish.");
        var publication = new ScriptedAudioPublication(options);
        lock (_gate) Publications.Add(publication);
        return Task.FromResult<IConferenceAudioPublication>(publication);
    }

    public Task LeaveAsync(CancellationToken cancellationToken)
    {
        HasLeft = true;
        _events.Writer.TryComplete();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await LeaveAsync(CancellationToken.None);
}

/// <summary>A subscription of a <see cref="ScriptedConferenceSession"/>.</summary>
public sealed class ScriptedSubscription : IConferenceSubscription
{
    private readonly SubscriptionRequest _request;
    private readonly List<PublishedTrack> _tracks = [];
    private readonly Lock _gate = new();

    internal ScriptedSubscription(SubscriptionRequest request, IConferenceMediaSink sink)
    {
        _request = request;
        Sink = sink;
    }

    public IConferenceMediaSink Sink { get; }

    /// <summary>What the gateway asked for.</summary>
    public SubscriptionRequest Request => _request;

    public bool Disposed { get; private set; }

    public List<string> KeyFrameRequests { get; } = [];

    public IReadOnlyList<PublishedTrack> Tracks { get { lock (_gate) return [.. _tracks]; } }

    public IReadOnlyList<SubscribedTrackStatistics> Statistics =>
        [.. Tracks.Select(t => new SubscribedTrackStatistics(t.TrackId, 0, 0, 0, 0, 0, TimeSpan.Zero))];

    internal void Offer(PublishedTrack track)
    {
        if (Disposed || !_request.Includes(track)) return;
        lock (_gate) _tracks.Add(track);
        Sink.OnTrackStarted(track);
    }

    internal void EndParticipant(string participantId, string reason)
    {
        List<PublishedTrack> ended;
        lock (_gate)
        {
            ended = [.. _tracks.Where(t => t.ParticipantId == participantId)];
            _tracks.RemoveAll(t => t.ParticipantId == participantId);
        }
        foreach (PublishedTrack track in ended) Sink.OnTrackEnded(track, reason);
    }

    public bool RequestKeyFrame(string trackId)
    {
        lock (_gate)
        {
            if (!_tracks.Any(t => t.TrackId == trackId)) return false;
            KeyFrameRequests.Add(trackId);
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

/// <summary>The bot's audio as a <see cref="ScriptedConferenceSession"/> received it.</summary>
public sealed class ScriptedAudioPublication(AudioPublicationOptions options) : IConferenceAudioPublication
{
    private readonly Lock _gate = new();
    private readonly List<byte[]> _packets = [];
    private long _samples48k;

    public AudioPublicationOptions Options { get; } = options;

    public uint Ssrc => 0x5c_71_97_ed;

    public bool Disposed { get; private set; }

    /// <summary>Opus packets sent so far (after the transform, as they would go on the wire).</summary>
    public IReadOnlyList<byte[]> Packets { get { lock (_gate) return [.. _packets]; } }

    /// <summary>The audio those packets carry, in 48 kHz samples (their RTP durations summed).</summary>
    public long Samples48k { get { lock (_gate) return _samples48k; } }

    public bool TrySendOpus(ReadOnlySpan<byte> opusPacket, int samples48k = 960)
    {
        if (Disposed) return false;
        byte[] wire;
        if (Options.Transform is { } transform)
        {
            wire = new byte[opusPacket.Length + Options.MaxTransformOverhead];
            int written = transform(opusPacket, Ssrc, (uint)Samples48k, wire);
            if (written < 0) return false;
            wire = wire[..written];
        }
        else
        {
            wire = opusPacket.ToArray();
        }
        lock (_gate)
        {
            _packets.Add(wire);
            _samples48k += samples48k;
        }

        return true;
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
