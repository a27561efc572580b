using Callbridge.Audio.Opus;
using Callbridge.Conference;
using Callbridge.PhoneMedia;
using Callbridge.PhoneMedia.Tests;
using Callbridge.TestSupport.Conference;
using Microsoft.Extensions.Logging.Abstractions;

namespace Callbridge.Gateways.Sip.Tests;

/// <summary>
/// The room's shared audio against a scripted conference: one subscription for all the bridge's calls in a room,
/// which leaves the bridge's own callers out (they hear each other in the bridge), each call's mix without its
/// own caller (asserted on the samples the phone would get), calls leaving, the hub
/// closing with the last one, E2EE tracks reported to every call, and the subscription lost and renewed or not.
/// </summary>
public sealed class RoomAudioHubTests : IAsyncDisposable
{
    private const string Room = "4242";

    private readonly ScriptedConference _conference = new(Room);
    private readonly RoomAudioHubs _hubs = new(NullLogger.Instance);
    private readonly List<TestCall> _calls = [];
    private readonly Dictionary<string, (OpusEncoder Encoder, double Frequency)> _speakers = new(StringComparer.Ordinal);
    private readonly byte[] _packet = new byte[1275];
    private int _frame;

    public async ValueTask DisposeAsync()
    {
        foreach (TestCall call in _calls)
        {
            await call.DisposeAsync();
        }

        await _hubs.DisposeAsync();
        foreach ((OpusEncoder encoder, double _) in _speakers.Values)
        {
            encoder.Dispose();
        }
    }

    private ScriptedConferenceSession[] AudioSessions => [.. _conference.Sessions.Where(s => s.Request.Role == BotRole.Subscriber)];

    /// <summary>A phone call as ConferenceLeg sets it up: its own publishing session, then its mix from the hub.</summary>
    private async Task<TestCall> JoinAsync(string displayName)
    {
        var session = (ScriptedConferenceSession)await _conference.JoinAsync(new ConferenceJoinRequest(Room, displayName, BotRole.SubscriberAndPublisher), CancellationToken.None);
        var call = new TestCall(session);
        call.Lease = await _hubs.JoinAsync(_conference, Room, session,
            (track, format) => { lock (call.Encrypted) call.Encrypted.Add((track.TrackId, format)); },
            reason => { lock (call.Lost) call.Lost.Add(reason); },
            CancellationToken.None);
        call.Audio = new PhoneConferenceAudio(call.Lease.Member);
        _calls.Add(call);
        return call;
    }

    /// <summary>A participant publishes one audio track in the conference (as the hub's session learns it) that plays a tone.</summary>
    private string Publish(ScriptedConferenceSession hub, string participantId, string displayName, double frequency)
    {
        hub.Join(participantId, displayName, ("a", TrackKind.Audio, "opus"));
        _speakers[participantId + "/a"] = (new OpusEncoder(), frequency);
        return participantId + "/a";
    }

    /// <summary>
    /// A call's caller speaks a tone on its phone and publishes (as ConferenceLeg does) under its session's
    /// participant id: the conference's roster has the track, whether or not the hub subscribes to it.
    /// </summary>
    private string PublishCaller(ScriptedConferenceSession hub, TestCall call, double frequency)
    {
        call.Tone = frequency;
        hub.Join(call.Session.ParticipantId!, call.Session.Request.DisplayName, ("a", TrackKind.Audio, "opus"));
        return call.Session.ParticipantId + "/a";
    }

    /// <summary>
    /// <paramref name="frames"/> 20 ms frames: every conference speaker's tone into the hub (to the subscriptions
    /// that hold its track), then each call as its media clock runs it: its caller's frame in, its phone's frame out.
    /// </summary>
    private Dictionary<TestCall, short[]> Run(ScriptedConferenceSession hub, int frames)
    {
        var phones = _calls.Where(c => !c.Left).ToDictionary(c => c, _ => new short[frames * 160]);
        for (int f = 0; f < frames; f++, _frame++)
        {
            foreach ((string trackId, (OpusEncoder encoder, double frequency)) in _speakers)
            {
                int length = encoder.Encode(Tones.Sine(frequency, 48000, 960, offset: _frame * 960), _packet);
                hub.Deliver(trackId, _packet.AsSpan(0, length), (uint)(_frame * 960));
            }

            foreach ((TestCall call, short[] phone) in phones)
            {
                if (call.Tone is { } tone)
                {
                    call.Audio!.OnPhoneAudio(Tones.Sine(tone, 8000, 160, offset: _frame * 160), concealed: false);
                }

                Assert.Equal(160, call.Audio!.Read(phone.AsSpan(f * 160, 160)));
            }
        }

        return phones;
    }

    private static double Power(short[] phone, double frequency) => Tones.Power(phone.AsSpan(10 * 160), frequency, 8000);

    [Fact]
    public async Task Two_and_then_three_calls_in_a_room_share_one_subscription()
    {
        await JoinAsync("Phone •••••••1111");
        await JoinAsync("Phone •••••••2222");

        var hub = Assert.Single(AudioSessions);
        Assert.Equal(new ConferenceJoinRequest(Room, RoomAudioHub.DisplayName, BotRole.Subscriber), hub.Request);
        Assert.Single(hub.Subscriptions);

        await JoinAsync("Phone •••••••3333");

        Assert.Same(hub, Assert.Single(AudioSessions));
        Assert.Single(hub.Subscriptions);
        Assert.Equal(3, Assert.Single(_hubs.Open).Users);
        // The calls' own sessions publish only: nobody subscribes twice.
        Assert.All(_calls, c => Assert.Empty(c.Session.Subscriptions));
    }

    [Fact]
    public async Task Each_call_hears_everyone_in_the_room_but_its_own_caller_and_every_track_is_decoded_once()
    {
        TestCall one = await JoinAsync("Phone •••••••1111");
        TestCall two = await JoinAsync("Phone •••••••2222");
        TestCall three = await JoinAsync("Phone •••••••3333");
        var hub = Assert.Single(AudioSessions);
        // Each call's participant appears to the hub as it publishes; a browser participant speaks too.
        PublishCaller(hub, one, 440);
        PublishCaller(hub, two, 660);
        PublishCaller(hub, three, 880);
        Publish(hub, "alice", "Alice", 1320);

        var phones = Run(hub, 50);

        // The callers hear each other in the bridge: the room's subscription holds only the browser's track.
        var hubAudio = Assert.Single(_hubs.Open);
        Assert.Equal(["alice/a"], Assert.Single(hub.Subscriptions).Tracks.Select(t => t.TrackId));
        foreach ((TestCall call, double own, double[] others) in new[]
        {
            (one, 440.0, new[] { 660.0, 880, 1320 }),
            (two, 660.0, new[] { 440.0, 880, 1320 }),
            (three, 880.0, new[] { 440.0, 660, 1320 }),
        })
        {
            double ownPower = Power(phones[call], own);
            foreach (double other in others)
            {
                double otherPower = Power(phones[call], other);
                Assert.True(otherPower > 1000 * ownPower, $"{call.Session.Request.DisplayName}: {other} Hz {otherPower:E2} vs own {own} Hz {ownPower:E2}");
            }

            PhoneConferenceAudioStatistics stats = call.Audio!.Statistics;
            Assert.Equal((50, 0, 0, 3), (stats.MixedFrames, stats.TrackUnderruns, stats.CallerUnderruns, stats.ActiveTracks));
        }

        // Alice's 50 frames decoded once for the room, not once per call; the callers' audio is not decoded at all.
        Assert.Equal(50, hubAudio.Room.DecodedFrames);
    }

    [Fact]
    public async Task A_connector_that_sends_the_callers_back_anyway_still_has_each_caller_heard_once()
    {
        _conference.IgnoresExcludes = true;
        TestCall one = await JoinAsync("Phone •••••••1111");
        TestCall two = await JoinAsync("Phone •••••••2222");
        var hub = Assert.Single(AudioSessions);
        // The callers' tracks come back from the conference with their tones, as a browser's does.
        foreach ((TestCall call, double tone) in new[] { (one, 440.0), (two, 660.0) })
        {
            _speakers[PublishCaller(hub, call, tone)] = (new OpusEncoder(), tone);
        }

        Publish(hub, "alice", "Alice", 1320);

        var phones = Run(hub, 50);

        var hubAudio = Assert.Single(_hubs.Open);
        Assert.Equal(3, Assert.Single(hub.Subscriptions).Tracks.Count);
        foreach ((TestCall call, double own, double other) in new[] { (one, 440.0, 660.0), (two, 660.0, 440.0) })
        {
            Assert.True(Power(phones[call], other) > 1000 * Power(phones[call], own), $"{call.Session.Request.DisplayName} hears itself");
            // The other caller's ring and Alice's track: the callers' own tracks took no slot.
            Assert.Equal((0, 0, 2), (call.Audio!.Statistics.TrackUnderruns, call.Audio.Statistics.CallerUnderruns, call.Audio.Statistics.ActiveTracks));
        }

        // Only Alice's 50 frames were decoded; the callers' 100 were ignored, not mixed a second time.
        Assert.Equal(50, hubAudio.Room.DecodedFrames);
        Assert.Equal(100, one.Audio!.Statistics.ConferenceFramesIgnored);
    }

    [Fact]
    public async Task Two_calls_with_the_same_masked_number_each_leave_out_only_their_own_caller()
    {
        TestCall first = await JoinAsync("Phone •••••••1234");
        TestCall second = await JoinAsync("Phone •••••••1234");
        var hub = Assert.Single(AudioSessions);
        PublishCaller(hub, first, 440);
        PublishCaller(hub, second, 660);

        var phones = Run(hub, 30);

        Assert.True(Power(phones[first], 660) > 1000 * Power(phones[first], 440), "the first caller hears the second, not itself");
        Assert.True(Power(phones[second], 440) > 1000 * Power(phones[second], 660), "the second caller hears the first, not itself");
    }

    [Fact]
    public async Task A_call_leaving_keeps_the_hub_for_the_others_and_the_last_one_closes_it()
    {
        TestCall one = await JoinAsync("Phone •••••••1111");
        TestCall two = await JoinAsync("Phone •••••••2222");
        var hub = Assert.Single(AudioSessions);
        PublishCaller(hub, one, 440);
        Publish(hub, "alice", "Alice", 1320);
        Run(hub, 5);

        await one.DisposeAsync();
        hub.Leave(one.Session.ParticipantId!);

        var subscription = Assert.Single(hub.Subscriptions);
        Assert.False(subscription.Disposed);
        Assert.False(hub.HasLeft);
        Assert.Equal(1, Assert.Single(_hubs.Open).Users);
        var phones = Run(hub, 30);
        Assert.True(Power(phones[two], 1320) > 1e5, $"the remaining call still hears alice: {Power(phones[two], 1320):E2}");

        await two.DisposeAsync();

        Assert.True(subscription.Disposed);
        Assert.True(hub.HasLeft);
        Assert.Empty(_hubs.Open);

        // The room's next call starts a new hub.
        await JoinAsync("Phone •••••••3333");
        Assert.Equal(2, AudioSessions.Length);
        Assert.Single(AudioSessions[1].Subscriptions);
    }

    [Fact]
    public async Task An_encrypted_track_is_reported_to_every_call_of_the_room_and_leaves_every_mix()
    {
        await JoinAsync("Phone •••••••1111");
        await JoinAsync("Phone •••••••2222");
        await JoinAsync("Phone •••••••3333");
        var hub = Assert.Single(AudioSessions);
        string alice = Publish(hub, "alice", "Alice", 1320);
        Publish(hub, "bob", "Bob", 660);
        Run(hub, 5);

        hub.MarkEncrypted(alice, "sframe");

        Assert.All(_calls, c => Assert.Equal(new[] { (alice, "sframe") }, c.Encrypted));
        var phones = Run(hub, 30);
        Assert.All(_calls, c =>
        {
            short[] phone = phones[c];
            Assert.True(Power(phone, 660) > 1000 * Power(phone, 1320), $"bob {Power(phone, 660):E2} vs encrypted alice {Power(phone, 1320):E2}");
        });
    }

    [Fact]
    public async Task A_lost_subscription_is_renewed_and_the_calls_hear_the_room_again()
    {
        TestCall call = await JoinAsync("Phone •••••••1111");
        var first = Assert.Single(AudioSessions);

        first.End("the SFU restarted");

        var until = DateTime.UtcNow.AddSeconds(5);
        while (AudioSessions.Length < 2 && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        var second = AudioSessions[^1];
        Assert.NotSame(first, second);
        Assert.True(Assert.Single(first.Subscriptions).Disposed);
        Assert.Single(second.Subscriptions);
        Publish(second, "alice", "Alice", 1320);
        var phones = Run(second, 30);
        Assert.True(Power(phones[call], 1320) > 1e5, $"alice after the renewal: {Power(phones[call], 1320):E2}");
        Assert.Empty(call.Lost);
    }

    [Fact]
    public async Task A_subscription_that_cannot_be_renewed_ends_every_call_of_the_room()
    {
        TestCall one = await JoinAsync("Phone •••••••1111");
        TestCall two = await JoinAsync("Phone •••••••2222");
        var hub = Assert.Single(AudioSessions);
        _conference.JoinFailure = new ConferenceException(ConferenceErrorKind.SfuUnavailable, "down");

        hub.End("destroyed");

        var until = DateTime.UtcNow.AddSeconds(5);
        while ((one.Lost.Count == 0 || two.Lost.Count == 0) && DateTime.UtcNow < until)
        {
            await Task.Delay(20);
        }

        Assert.Equal(new[] { "the conference ended: destroyed" }, one.Lost);
        Assert.Equal(new[] { "the conference ended: destroyed" }, two.Lost);
        Assert.True(Assert.Single(_hubs.Open).Failed);

        // A later call of the room does not get the failed hub.
        _conference.JoinFailure = null;
        await JoinAsync("Phone •••••••3333");
        Assert.Equal(2, AudioSessions.Length);
    }

    private sealed class TestCall(ScriptedConferenceSession session) : IAsyncDisposable
    {
        public ScriptedConferenceSession Session { get; } = session;

        public RoomAudioLease? Lease { get; set; }

        public PhoneConferenceAudio? Audio { get; set; }

        /// <summary>What the call's caller says on the phone (a tone, Hz), or nothing.</summary>
        public double? Tone { get; set; }

        public bool Left { get; private set; }

        public List<(string TrackId, string Format)> Encrypted { get; } = [];

        public List<string> Lost { get; } = [];

        public async ValueTask DisposeAsync()
        {
            if (Left)
            {
                return;
            }

            Left = true;
            if (Lease is not null)
            {
                await Lease.DisposeAsync();
            }

            Audio?.Dispose();
            await Session.DisposeAsync();
        }
    }
}
