using System.Threading.Channels;
using Callbridge.Conference;

namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>
/// Joins through an inner connector; every subscription's sink is wrapped in a <see cref="CountingSink"/>, and the
/// subscriptions are kept so the media core's counters can be read (<see cref="MediaCoreCounters"/>).
/// </summary>
internal sealed class CountingConnector(IConferenceConnector inner) : IConferenceConnector
{
    private readonly List<CountingSink> _sinks = [];
    private readonly List<IConferenceSubscription> _subscriptions = [];

    public IReadOnlyList<CountingSink> Sinks
    {
        get { lock (_sinks) return [.. _sinks]; }
    }

    public IReadOnlyList<IConferenceSubscription> Subscriptions
    {
        get { lock (_sinks) return [.. _subscriptions]; }
    }

    public Task<ConferenceProbe> ProbeAsync(string conferenceId, CancellationToken cancellationToken) => inner.ProbeAsync(conferenceId, cancellationToken);

    public async Task<IConferenceSession> JoinAsync(ConferenceJoinRequest request, CancellationToken cancellationToken) =>
        new Session(await inner.JoinAsync(request, cancellationToken).ConfigureAwait(false), this);

    private void Add(CountingSink sink)
    {
        lock (_sinks) _sinks.Add(sink);
    }

    private void Add(IConferenceSubscription subscription)
    {
        lock (_sinks) _subscriptions.Add(subscription);
    }

    private sealed class Session(IConferenceSession inner, CountingConnector owner) : IConferenceSession
    {
        public string ConferenceId => inner.ConferenceId;
        public string? ParticipantId => inner.ParticipantId;
        public IReadOnlyList<ConferenceParticipant> Participants => inner.Participants;
        public bool RequiresE2ee => inner.RequiresE2ee;
        public ChannelReader<ConferenceEvent> Events => inner.Events;

        public async Task<IConferenceSubscription> SubscribeAsync(SubscriptionRequest request, IConferenceMediaSink sink, CancellationToken cancellationToken)
        {
            var counting = new CountingSink(sink);
            owner.Add(counting);
            IConferenceSubscription subscription = await inner.SubscribeAsync(request, counting, cancellationToken).ConfigureAwait(false);
            owner.Add(subscription);
            return subscription;
        }

        public Task<IConferenceAudioPublication> PublishAudioAsync(AudioPublicationOptions options, CancellationToken cancellationToken) =>
            inner.PublishAudioAsync(options, cancellationToken);

        public Task LeaveAsync(CancellationToken cancellationToken) => inner.LeaveAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
