using Callbridge.Conference;

namespace Callbridge.Conference.Tests;

/// <summary>Which tracks a subscription request selects: kinds, one participant, and participants left out by the gateway.</summary>
public sealed class SubscriptionRequestTests
{
    private static PublishedTrack Audio(string participant) => new(participant + "/a", participant, "a", TrackKind.Audio, "opus");

    private static PublishedTrack Video(string participant) => new(participant + "/v", participant, "v", TrackKind.Video, "vp8");

    [Fact]
    public void Excluded_participants_are_left_out_and_the_answer_is_asked_anew_each_time()
    {
        var local = new HashSet<string>(StringComparer.Ordinal) { "phone-1" };
        var request = new SubscriptionRequest(Audio: true, Video: false) { Excludes = local.Contains };

        Assert.False(request.Includes(Audio("phone-1")));
        Assert.True(request.Includes(Audio("alice")));
        Assert.False(request.Includes(Video("alice")));

        // The phone's call left the gateway: its participant, if still in the room, is an ordinary one again.
        local.Remove("phone-1");
        Assert.True(request.Includes(Audio("phone-1")));
    }

    [Fact]
    public void Without_exclusions_every_track_of_the_requested_kinds_is_selected()
    {
        var request = new SubscriptionRequest();

        Assert.True(request.Includes(Audio("alice")));
        Assert.True(request.Includes(Video("alice")));
        Assert.False(new SubscriptionRequest(ParticipantId: "bob").Includes(Audio("alice")));
    }
}
