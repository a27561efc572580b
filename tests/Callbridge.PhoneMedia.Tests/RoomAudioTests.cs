using Callbridge.Audio.Opus;
using Callbridge.Conference;

namespace Callbridge.PhoneMedia.Tests;

/// <summary>
/// The room's decoded tracks read by several calls: each call's queue behaves as if it had its own subscription
/// (where it starts, the 5-frame bound, underruns), while every frame is decoded once. Tones have whole cycles in
/// a 20 ms frame (400 and 650 Hz) so that one frame measures them apart.
/// </summary>
public sealed class RoomAudioTests : IDisposable
{
    private static readonly PublishedTrack Alice = new("alice/a", "alice", "a", TrackKind.Audio, "opus");
    private static readonly PublishedTrack Bob = new("bob/a", "bob", "a", TrackKind.Audio, "opus");
    private static readonly PublishedTrack[] Both = [Alice, Bob];

    private readonly RoomAudio _room = new();
    private readonly OpusEncoder _alice = new();
    private readonly OpusEncoder _bob = new();
    private readonly byte[] _packet = new byte[1275];
    private readonly short[] _mix = new short[PhoneConferenceAudio.FrameSamples];
    private int _frame;

    public void Dispose()
    {
        _room.Dispose();
        _alice.Dispose();
        _bob.Dispose();
    }

    private void Deliver(PublishedTrack track, OpusEncoder encoder, double frequency, int samples48k = 960, bool afterLoss = false)
    {
        int length = encoder.Encode(Tones.Sine(frequency, 48000, samples48k, offset: _frame * 960), _packet);
        var frame = new ConferenceFrame
        {
            Track = track,
            Ssrc = 1,
            RtpTimestamp = (uint)(_frame * 960),
            ClockRate = 48000,
            IsKeyFrame = true,
            AfterLoss = afterLoss,
            LooksEncrypted = false,
            ReceivedTimestamp = 0,
            Data = _packet.AsSpan(0, length),
        };
        _room.OnFrame(in frame);
        _frame++;
    }

    [Fact]
    public void A_call_joining_late_hears_an_older_track_from_now_and_a_newer_track_from_its_first_frame()
    {
        _room.OnTrackStarted(Alice);
        for (int i = 0; i < 4; i++)
        {
            Deliver(Alice, _alice, 400);
        }

        using RoomAudioMember late = _room.AddMember();
        _room.OnTrackStarted(Bob);
        for (int i = 0; i < 3; i++)
        {
            Deliver(Bob, _bob, 650);
            late.Read(_mix);
        }

        // Alice's 80 ms queued before the call came are not replayed to it (they would fill these three mixes);
        // Bob, who started after it, is heard from his first frame (three frames in, three mixed, no underrun).
        Assert.True(Tones.Power(_mix, 650, RoomAudio.SampleRate) > 1000 * Tones.Power(_mix, 400, RoomAudio.SampleRate), $"bob {Tones.Power(_mix, 650, RoomAudio.SampleRate):E2} alice {Tones.Power(_mix, 400, RoomAudio.SampleRate):E2}");
        PhoneConferenceAudioStatistics stats = _room.StatisticsOf(late, 0, 0);
        Assert.Equal((3, 0, 0L), (stats.MixedFrames, stats.TrackUnderruns, stats.ConferenceSamplesDropped));
        Assert.Equal(7, _room.DecodedFrames);
    }

    [Fact]
    public void A_lost_40_ms_packet_is_concealed_for_40_ms_so_the_call_does_not_run_dry()
    {
        using RoomAudioMember call = _room.AddMember();
        _room.OnTrackStarted(Alice);
        Deliver(Alice, _alice, 400, samples48k: 1920);
        call.Read(_mix);
        call.Read(_mix);

        // The next 40 ms packet is lost; the one after it says so. Concealment stands in for the whole 40 ms.
        _frame += 2;
        Deliver(Alice, _alice, 400, samples48k: 1920, afterLoss: true);
        for (int i = 0; i < 4; i++)
        {
            call.Read(_mix);
        }

        PhoneConferenceAudioStatistics stats = _room.StatisticsOf(call, 0, 0);
        Assert.Equal((6, 0), (stats.MixedFrames, stats.TrackUnderruns));
        Assert.True(Tones.Power(_mix, 400, RoomAudio.SampleRate) > 1000, $"{Tones.Power(_mix, 400, RoomAudio.SampleRate):E2}");
    }

    [Fact]
    public void Each_call_keeps_its_own_five_frame_bound_and_its_own_underruns()
    {
        using RoomAudioMember steady = _room.AddMember();
        using RoomAudioMember stalled = _room.AddMember();
        _room.OnTrackStarted(Alice);
        for (int i = 0; i < 8; i++)
        {
            Deliver(Alice, _alice, 400);
            steady.Read(_mix);
        }

        // The stalled call reads only now: the 3 oldest frames are gone for it (the newest 100 ms kept), not for the other.
        stalled.Read(_mix);
        Assert.Equal(3 * PhoneConferenceAudio.FrameSamples, _room.StatisticsOf(stalled, 0, 0).ConferenceSamplesDropped);
        Assert.Equal(0, _room.StatisticsOf(steady, 0, 0).ConferenceSamplesDropped);

        // A 20 ms gap: the steady call underruns once; the stalled one still has 4 frames queued.
        steady.Read(_mix);
        stalled.Read(_mix);
        Assert.Equal(1, _room.StatisticsOf(steady, 0, 0).TrackUnderruns);
        Assert.Equal(0, _room.StatisticsOf(stalled, 0, 0).TrackUnderruns);
        Assert.Equal(8, _room.DecodedFrames);
    }

    [Fact]
    public void An_excluded_participant_is_not_in_that_calls_mix()
    {
        using RoomAudioMember member = _room.AddMember();
        member.Exclude("alice");
        _room.OnTrackStarted(Alice);
        _room.OnTrackStarted(Bob);
        for (int i = 0; i < 3; i++)
        {
            Deliver(Alice, _alice, 400);
            Deliver(Bob, _bob, 650);
            member.Read(_mix);
        }

        Assert.True(Tones.Power(_mix, 650, RoomAudio.SampleRate) > 1000 * Tones.Power(_mix, 400, RoomAudio.SampleRate), $"bob {Tones.Power(_mix, 650, RoomAudio.SampleRate):E2} alice {Tones.Power(_mix, 400, RoomAudio.SampleRate):E2}");
        Assert.Equal(1, _room.StatisticsOf(member, 0, 0).ActiveTracks);
    }

    [Fact]
    public void A_room_frame_for_two_calls_allocates_nothing()
    {
        using RoomAudioMember one = _room.AddMember();
        using RoomAudioMember two = _room.AddMember();
        one.Exclude("alice");
        _room.OnTrackStarted(Alice);
        _room.OnTrackStarted(Bob);
        int length = _alice.Encode(Tones.Sine(400, 48000, 960), _packet);
        byte[] packet = _packet[..length];
        for (int i = 0; i < 20; i++)
        {
            Frame(packet, one, two);
        }

        long allocated = AllocationMeter.LeastBytesPerPass(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                Frame(packet, one, two);
            }
        });

        Assert.Equal(0, allocated);
    }

    private void Frame(byte[] packet, RoomAudioMember one, RoomAudioMember two)
    {
        foreach (PublishedTrack track in Both)
        {
            var frame = new ConferenceFrame
            {
                Track = track,
                Ssrc = 1,
                RtpTimestamp = 0,
                ClockRate = 48000,
                IsKeyFrame = true,
                AfterLoss = false,
                LooksEncrypted = false,
                ReceivedTimestamp = 0,
                Data = packet,
            };
            _room.OnFrame(in frame);
        }

        one.Read(_mix);
        two.Read(_mix);
    }
}
