using System.Threading.Channels;
using Callbridge.Conference;

namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>
/// The real connector, with the sessions of probed calls (found by the display name's last four digits)
/// wrapped so that their published Opus passes the call's <see cref="CallProbe"/>, and the rooms' shared audio
/// sessions (subscribe-only) wrapped so that every frame they receive passes the probes of that room's calls.
/// </summary>
internal sealed class ProbingConnector(IConferenceConnector inner, Func<string, CallProbe?> probeFor, Func<string, IReadOnlyList<CallProbe>> probesIn) : IConferenceConnector
{
    public Task<ConferenceProbe> ProbeAsync(string conferenceId, CancellationToken cancellationToken) => inner.ProbeAsync(conferenceId, cancellationToken);

    public async Task<IConferenceSession> JoinAsync(ConferenceJoinRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        IConferenceSession session = await inner.JoinAsync(request, cancellationToken).ConfigureAwait(false);
        if (request.Role == BotRole.Subscriber)
        {
            IReadOnlyList<CallProbe> room = probesIn(request.ConferenceId);
            return room.Count == 0 ? session : new ProbedSession(session, room, null);
        }

        string name = request.DisplayName;
        CallProbe? probe = name.Length >= 4 ? probeFor(name[^4..]) : null;
        return probe is null ? session : new ProbedSession(session, [], probe);
    }

    /// <summary>A session whose received frames pass <paramref name="frameProbes"/> and whose published Opus passes <paramref name="publicationProbe"/>.</summary>
    private sealed class ProbedSession(IConferenceSession inner, IReadOnlyList<CallProbe> frameProbes, CallProbe? publicationProbe) : IConferenceSession
    {
        public string ConferenceId => inner.ConferenceId;

        public string? ParticipantId => inner.ParticipantId;

        public IReadOnlyList<ConferenceParticipant> Participants => inner.Participants;

        public bool RequiresE2ee => inner.RequiresE2ee;

        public ChannelReader<ConferenceEvent> Events => inner.Events;

        public Task<IConferenceSubscription> SubscribeAsync(SubscriptionRequest request, IConferenceMediaSink sink, CancellationToken cancellationToken) =>
            inner.SubscribeAsync(request, frameProbes.Count == 0 ? sink : new RoomSink(sink, frameProbes), cancellationToken);

        public async Task<IConferenceAudioPublication> PublishAudioAsync(AudioPublicationOptions options, CancellationToken cancellationToken)
        {
            IConferenceAudioPublication publication = await inner.PublishAudioAsync(options, cancellationToken).ConfigureAwait(false);
            return publicationProbe is null ? publication : new Publication(publication, publicationProbe);
        }

        public Task LeaveAsync(CancellationToken cancellationToken) => inner.LeaveAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class RoomSink(IConferenceMediaSink inner, IReadOnlyList<CallProbe> probes) : IConferenceMediaSink
    {
        public void OnFrame(in ConferenceFrame frame)
        {
            foreach (CallProbe probe in probes)
            {
                probe.OnRoomFrame(frame);
            }

            inner.OnFrame(frame);
        }

        public void OnTrackStarted(PublishedTrack track) => inner.OnTrackStarted(track);

        public void OnTrackEnded(PublishedTrack track, string reason) => inner.OnTrackEnded(track, reason);

        public void OnTrackEncrypted(PublishedTrack track, string format) => inner.OnTrackEncrypted(track, format);
    }

    private sealed class Publication(IConferenceAudioPublication inner, CallProbe probe) : IConferenceAudioPublication
    {
        public uint Ssrc => inner.Ssrc;

        public bool TrySendOpus(ReadOnlySpan<byte> opusPacket, int samples48k = 960)
        {
            probe.OnOpusSent(opusPacket);
            return inner.TrySendOpus(opusPacket, samples48k);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
