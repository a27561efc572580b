using System.Threading.Channels;
using Callbridge.Conference;

namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>Joins through an inner connector; every subscription's sink is wrapped in a <see cref="CountingSink"/>.</summary>
internal sealed class CountingConnector(IConferenceConnector inner) : IConferenceConnector
{
    private readonly List<CountingSink> _sinks = [];

    public IReadOnlyList<CountingSink> Sinks
    {
        get { lock (_sinks) return [.. _sinks]; }
    }

    public Task<ConferenceProbe> ProbeAsync(string conferenceId, CancellationToken cancellationToken) => inner.ProbeAsync(conferenceId, cancellationToken);

    public async Task<IConferenceSession> JoinAsync(ConferenceJoinRequest request, CancellationToken cancellationToken) =>
        new Session(await inner.JoinAsync(request, cancellationToken).ConfigureAwait(false), this);

    private void Add(CountingSink sink)
    {
        lock (_sinks) _sinks.Add(sink);
    }

    private sealed class Session(IConferenceSession inner, CountingConnector owner) : IConferenceSession
    {
        public string ConferenceId => inner.ConferenceId;
        public string? ParticipantId => inner.ParticipantId;
        public IReadOnlyList<ConferenceParticipant> Participants => inner.Participants;
        public bool RequiresE2ee => inner.RequiresE2ee;
        public ChannelReader<ConferenceEvent> Events => inner.Events;

        public Task<IConferenceSubscription> SubscribeAsync(SubscriptionRequest request, IConferenceMediaSink sink, CancellationToken cancellationToken)
        {
            var counting = new CountingSink(sink);
            owner.Add(counting);
            return inner.SubscribeAsync(request, counting, cancellationToken);
        }

        public Task<IConferenceAudioPublication> PublishAudioAsync(AudioPublicationOptions options, CancellationToken cancellationToken) =>
            inner.PublishAudioAsync(options, cancellationToken);

        public Task LeaveAsync(CancellationToken cancellationToken) => inner.LeaveAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
