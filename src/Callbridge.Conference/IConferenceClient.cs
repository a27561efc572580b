using System.Threading.Channels;

namespace Callbridge.Conference;

/// <summary>
/// Joins conferences on one SFU. Implementations exist per SFU (Janus VideoRoom today); gateways are
/// written against this contract only.
/// </summary>
public interface IConferenceConnector
{
    /// <summary>What the SFU says about a conference, without joining it or opening any media.</summary>
    Task<ConferenceProbe> ProbeAsync(string conferenceId, CancellationToken cancellationToken);

    /// <summary>Joins as a bot participant (no media is received until something is subscribed).</summary>
    Task<IConferenceSession> JoinAsync(ConferenceJoinRequest request, CancellationToken cancellationToken);
}

/// <summary>The bot's presence in one conference.</summary>
public interface IConferenceSession : IAsyncDisposable
{
    string ConferenceId { get; }

    /// <summary>
    /// The session's own participant id, as others see it in <see cref="PublishedTrack.ParticipantId"/> (null before
    /// the SFU assigned one). A session that rejoins gets a new one.
    /// </summary>
    string? ParticipantId { get; }

    /// <summary>The other participants and their tracks as last known.</summary>
    IReadOnlyList<ConferenceParticipant> Participants { get; }

    /// <summary>The room's E2EE policy as last learned from the SFU.</summary>
    bool RequiresE2ee { get; }

    /// <summary>Everything that happens, in order; completes after <see cref="ConferenceEnded"/> or leave.</summary>
    ChannelReader<ConferenceEvent> Events { get; }

    /// <summary>
    /// Starts receiving media: every track <paramref name="request"/> selects, now and as they are published,
    /// delivered to <paramref name="sink"/>. Resolves once the media path to the SFU is up (or throws
    /// <see cref="ConferenceException"/>); tracks published later are added without a new subscription.
    /// </summary>
    Task<IConferenceSubscription> SubscribeAsync(SubscriptionRequest request, IConferenceMediaSink sink, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes the bot's audio track (only for <see cref="BotRole.SubscriberAndPublisher"/>). Resolves once the
    /// SFU accepted it and the media path is up.
    /// </summary>
    Task<IConferenceAudioPublication> PublishAudioAsync(AudioPublicationOptions options, CancellationToken cancellationToken);

    /// <summary>
    /// Publishes the bot's audio and, with <see cref="PublicationOptions.Video"/>, a VP8 video track (only for
    /// <see cref="BotRole.SubscriberAndPublisher"/>). Resolves once the SFU accepted it and the media path is up.
    /// A session whose SFU adapter cannot publish video refuses with <see cref="ConferenceErrorKind.Rejected"/>.
    /// </summary>
    Task<IConferencePublication> PublishAsync(PublicationOptions options, CancellationToken cancellationToken) =>
        Task.FromException<IConferencePublication>(new ConferenceException(ConferenceErrorKind.Rejected, "This conference client cannot publish video."));

    /// <summary>Leaves the conference cleanly (idempotent).</summary>
    Task LeaveAsync(CancellationToken cancellationToken);
}
