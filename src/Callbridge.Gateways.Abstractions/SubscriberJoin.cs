using Callbridge.Conference;

namespace Callbridge.Gateways;

/// <summary>
/// How a media gateway that only listens (recording, server captions) joins its conference: as a subscriber
/// bot, with every failure a typed <see cref="GatewayStartException"/>.
/// </summary>
public static class SubscriberJoin
{
    /// <summary>
    /// Joins <paramref name="conferenceId"/>. A room that requires E2EE is left at once and refused with
    /// "e2ee-required" and <paramref name="e2eeRefusal"/>: the negotiator refuses these rooms before the start,
    /// so only one that turned E2EE in between reaches this check.
    /// </summary>
    public static async Task<IConferenceSession> JoinAsync(IConferenceConnector connector, string conferenceId, string displayName,
        string e2eeRefusal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connector);
        IConferenceSession session;
        try
        {
            session = await connector.JoinAsync(new ConferenceJoinRequest(conferenceId, displayName, BotRole.Subscriber), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ConferenceException e)
        {
            throw new GatewayStartException(StartCode(e.Kind), e.Message, e);
        }

        if (session.RequiresE2ee)
        {
            await session.LeaveAsync(CancellationToken.None).ConfigureAwait(false);
            await session.DisposeAsync().ConfigureAwait(false);
            throw new GatewayStartException("e2ee-required", e2eeRefusal);
        }

        return session;
    }

    /// <summary>The start failure for a media path (subscription) that did not come up after the join.</summary>
    public static GatewayStartException MediaPathFailed(ConferenceException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new GatewayStartException(StartCode(error.Kind), "The media path to the conference did not come up: " + error.Message, error);
    }

    /// <summary>The control API's code for a conference error.</summary>
    public static string StartCode(ConferenceErrorKind kind) => kind switch
    {
        ConferenceErrorKind.InvalidId or ConferenceErrorKind.NotFound => "conference-not-found",
        ConferenceErrorKind.Rejected => "conference-rejected",
        _ => "sfu-unavailable",
    };
}
