using Callbridge.Audio.Opus;
using Callbridge.Conference;

namespace Callbridge.PhoneMedia.Tests;

/// <summary>
/// The room's decoded tracks read by several calls: each call's queue behaves as if it had its own subscription
/// (where it starts, the 5-frame bound, underruns), while every frame is decoded once; and the room's local
/// callers, heard by each other straight from their calls. Tones have whole cycles in
/// a 20 ms frame (400 and 650 Hz) so that one frame measures them apart.
/// </summary>
public sealed class RoomAudioTests : IDisposable
{
    private static readonly PublishedTrack Alice = new("alice/a", "alice", "a", TrackKind.Audio, "opus");
    private static readonly PublishedTrack Bob = new("bob/a", "bob", "a", TrackKind.Audio, "opus");
    private static readonly PublishedTrack[] Both = [Alice, Bob];

    private readonly HashSet<string> _localCallers = new(StringComparer.Ordinal);
    private readonly RoomAudio _room;
    private int _localCallerQuestions;
    private readonly OpusEncoder _alice = new();
    private readonly OpusEncoder _bob = new();
    private readonly byte[] _packet = new byte[1275];
    private readonly short[] _mix = new short[PhoneConferenceAudio.FrameSamples];
    private readonly short[] _speech = Tones.Sine(400, RoomAudio.SampleRate, PhoneConferenceAudio.FrameSamples);
    private int _frame;

    public RoomAudioTests() => _room = new RoomAudio(isLocalCaller: p =>
    {
        _localCallerQuestions++;
        return _localCallers.Contains(p);
    });

    public void Dispose()
    {
        _room.Dispose();
        _alice.Dispose();
        _bob.Dispose();
    }

    private void Deliver(PublishedTrack track, OpusEncoder encoder, double frequency, int samples48k = 960, bool afterLoss = false, double amplitude = 0.3)
    {
        int length = encoder.Encode(Tones.Sine(frequency, 48000, samples48k, amplitude, offset: _frame * 960), _packet);
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
        PhoneConferenceAudioStatistics steadyStats = _room.StatisticsOf(steady, 0, 0);
        Assert.Equal((1L, 0L), (steadyStats.TrackUnderruns, steadyStats.CallerUnderruns));
        Assert.Equal(0, _room.StatisticsOf(stalled, 0, 0).TrackUnderruns);
        Assert.Equal(8, _room.DecodedFrames);
    }

    /// <summary>One 20 ms frame of alice's track (a tone, or silence) delivered, then one mix read: as the room runs.</summary>
    private void Tick(RoomAudioMember call, double amplitude = 0.3, double frequency = 400)
    {
        Deliver(Alice, _alice, frequency, amplitude: amplitude);
        call.Read(_mix);
    }

    /// <summary>Mixes from now until alice's 650 Hz marker, delivered now, is heard: the track's delay through the queue, in frames.</summary>
    private int FramesUntilMarkerHeard(RoomAudioMember call)
    {
        Tick(call, frequency: 650);
        for (int frames = 0; frames < 10; frames++)
        {
            if (Tones.Power(_mix, 650, RoomAudio.SampleRate) > 1e5)
            {
                return frames;
            }

            Tick(call, amplitude: 0);
        }

        return -1;
    }

    [Fact]
    public void A_stalls_backlog_leaves_the_track_in_its_pauses_so_it_is_not_heard_late_for_the_rest_of_the_call()
    {
        using RoomAudioMember call = _room.AddMember();
        _room.OnTrackStarted(Alice);
        for (int f = 0; f < 10; f++)
        {
            Tick(call);
        }

        // Alice's packets stop for 80 ms, then come in a burst: the call waits, then is four frames behind her.
        for (int f = 0; f < 4; f++)
        {
            call.Read(_mix);
        }

        for (int f = 0; f < 4; f++)
        {
            Deliver(Alice, _alice, 400);
        }

        // She talks on without a pause through the next whole window (the 51st to the 100th mix): that lag stood
        // all the time, so at the window's end one frame of speech goes; the rest waits for a pause.
        for (int mixes = 14; mixes < 2 * RoomAudio.BacklogWindowFrames - 1; mixes++)
        {
            Tick(call);
        }

        Assert.Equal(0, _room.StatisticsOf(call, 0, 0).ConferenceBacklogSamplesDropped);
        Tick(call);
        Assert.Equal(PhoneConferenceAudio.FrameSamples, _room.StatisticsOf(call, 0, 0).ConferenceBacklogSamplesDropped);
        for (int f = 0; f < 10; f++)
        {
            Tick(call);
        }

        Assert.Equal(PhoneConferenceAudio.FrameSamples, _room.StatisticsOf(call, 0, 0).ConferenceBacklogSamplesDropped);

        // Her pause takes out the other frame above the target, and her next word is heard two frames late, not four.
        for (int f = 0; f < 10; f++)
        {
            Tick(call, amplitude: 0);
        }

        Assert.Equal(RoomAudio.BacklogTargetSamples / PhoneConferenceAudio.FrameSamples, FramesUntilMarkerHeard(call));
        PhoneConferenceAudioStatistics stats = _room.StatisticsOf(call, 0, 0);
        Assert.Equal((4L, 0L, 2L * PhoneConferenceAudio.FrameSamples), (stats.TrackUnderruns, stats.ConferenceSamplesDropped, stats.ConferenceBacklogSamplesDropped));
    }

    [Fact]
    public void Jitter_that_keeps_using_the_queue_keeps_its_room()
    {
        using RoomAudioMember call = _room.AddMember();
        _room.OnTrackStarted(Alice);

        // Every third 20 ms, alice's packets come three at once: the call's queue runs from two frames down to none
        // and fills again, for three windows and pauses included. None of it stands, so none is taken out, and
        // nothing runs dry. Its mean delay in the queue is one frame.
        for (int f = 0; f < 3 * RoomAudio.BacklogWindowFrames; f++)
        {
            if (f % 3 == 0)
            {
                double amplitude = f % 30 < 15 ? 0.3 : 0;
                for (int p = 0; p < 3; p++)
                {
                    Deliver(Alice, _alice, 400, amplitude: amplitude);
                }
            }

            call.Read(_mix);
        }

        PhoneConferenceAudioStatistics stats = _room.StatisticsOf(call, 0, 0);
        Assert.Equal((0L, 0L, 0L), (stats.TrackUnderruns, stats.ConferenceSamplesDropped, stats.ConferenceBacklogSamplesDropped));
        Assert.Equal((3L * RoomAudio.BacklogWindowFrames, 3L * RoomAudio.BacklogWindowFrames * PhoneConferenceAudio.FrameSamples),
            (stats.MixQueueFrames, stats.MixQueueSamples));
    }

    [Fact]
    public void A_local_callers_conference_track_is_neither_decoded_nor_heard_by_anyone()
    {
        // Alice is one of the room's callers: the room hears her from her ring, so her track coming back from the
        // conference would be heard twice by the others and by herself.
        _localCallers.Add("alice");
        using RoomAudioMember one = _room.AddMember();
        using RoomAudioMember two = _room.AddMember();
        _room.OnTrackStarted(Alice);
        _room.OnTrackStarted(Bob);
        var heard = new short[PhoneConferenceAudio.FrameSamples];
        for (int i = 0; i < 3; i++)
        {
            Deliver(Alice, _alice, 400);
            Deliver(Bob, _bob, 650);
            one.Read(_mix);
            two.Read(heard);
        }

        foreach ((RoomAudioMember member, short[] mix) in new[] { (one, _mix), (two, heard) })
        {
            Assert.True(Tones.Power(mix, 650, RoomAudio.SampleRate) > 1000 * Tones.Power(mix, 400, RoomAudio.SampleRate), $"bob {Tones.Power(mix, 650, RoomAudio.SampleRate):E2} alice {Tones.Power(mix, 400, RoomAudio.SampleRate):E2}");
            PhoneConferenceAudioStatistics stats = _room.StatisticsOf(member, 0, 0);
            Assert.Equal((1, 3L), (stats.ActiveTracks, stats.ConferenceFramesIgnored));
        }

        // Bob's frames only, and the question asked once per track, not per frame.
        Assert.Equal(3, _room.DecodedFrames);
        Assert.Equal(2, _localCallerQuestions);

        // Her track ends and a new one starts: asked again (the answer may have changed with the calls).
        _room.OnTrackEnded(Alice, "left");
        _localCallers.Clear();
        _room.OnTrackStarted(Alice);
        Deliver(Alice, _alice, 400);
        Assert.Equal((4, 3), (_room.DecodedFrames, _localCallerQuestions));
    }

    /// <summary>One 20 ms frame of a phone caller's tone at 8 kHz, continuing from frame <paramref name="index"/>.</summary>
    private static short[] PhoneTone(double frequency, int index) =>
        Tones.Sine(frequency, RoomAudio.SampleRate, PhoneConferenceAudio.FrameSamples, offset: index * PhoneConferenceAudio.FrameSamples);

    [Fact]
    public void The_rooms_local_callers_hear_each_other_a_lead_behind_and_never_themselves()
    {
        using RoomAudioMember one = _room.AddMember();
        using RoomAudioMember two = _room.AddMember();
        var heardByOne = new short[30 * PhoneConferenceAudio.FrameSamples];
        var heardByTwo = new short[30 * PhoneConferenceAudio.FrameSamples];
        for (int f = 0; f < 30; f++)
        {
            // As a media clock runs each call: its caller's frame in, then its phone's frame out.
            one.Speak(PhoneTone(400, f));
            one.Read(heardByOne.AsSpan(f * PhoneConferenceAudio.FrameSamples, PhoneConferenceAudio.FrameSamples));
            two.Speak(PhoneTone(650, f));
            two.Read(heardByTwo.AsSpan(f * PhoneConferenceAudio.FrameSamples, PhoneConferenceAudio.FrameSamples));
        }

        Span<short> steadyOne = heardByOne.AsSpan(10 * PhoneConferenceAudio.FrameSamples);
        Span<short> steadyTwo = heardByTwo.AsSpan(10 * PhoneConferenceAudio.FrameSamples);
        Assert.True(Tones.Power(steadyOne, 650, RoomAudio.SampleRate) > 1000 * Tones.Power(steadyOne, 400, RoomAudio.SampleRate), "one hears two, not itself");
        Assert.True(Tones.Power(steadyTwo, 400, RoomAudio.SampleRate) > 1000 * Tones.Power(steadyTwo, 650, RoomAudio.SampleRate), "two hears one, not itself");

        // Two starts reading one's ring a lead of silence behind one's writes: one's first frame reaches two a
        // frame later (the rest of the lead), and then every frame comes through unchanged.
        Assert.All(heardByTwo[..PhoneConferenceAudio.FrameSamples], s => Assert.Equal(0, s));
        Assert.Equal(PhoneTone(400, 0), heardByTwo.AsSpan(PhoneConferenceAudio.FrameSamples, PhoneConferenceAudio.FrameSamples).ToArray());
        Assert.Equal(PhoneTone(400, 28), heardByTwo.AsSpan(29 * PhoneConferenceAudio.FrameSamples, PhoneConferenceAudio.FrameSamples).ToArray());
        foreach (RoomAudioMember member in new[] { one, two })
        {
            PhoneConferenceAudioStatistics stats = _room.StatisticsOf(member, 0, 0);
            Assert.Equal((30, 0, 1, 0L), (stats.MixedFrames, stats.TrackUnderruns, stats.ActiveTracks, stats.ConferenceFramesDecoded));
        }
    }

    [Fact]
    public void A_listener_on_another_clock_rides_out_a_speaker_a_tick_late_and_counts_a_longer_stall()
    {
        using RoomAudioMember speaker = _room.AddMember();
        using RoomAudioMember listener = _room.AddMember();
        int f = 0;
        for (; f < 5; f++)
        {
            speaker.Speak(PhoneTone(400, f));
            listener.Read(_mix);
        }

        // The speaker's clock runs one pass late, then catches up with two frames: the lead covers it.
        listener.Read(_mix);
        speaker.Speak(PhoneTone(400, f++));
        speaker.Speak(PhoneTone(400, f++));
        listener.Read(_mix);
        Assert.Equal(0, _room.StatisticsOf(listener, 0, 0).CallerUnderruns);

        // Then the speaker stalls for three passes: the frame still queued covers the first, the other two are
        // underruns (the listener waits, and hears on from where it was).
        for (int i = 0; i < 3; i++)
        {
            listener.Read(_mix);
        }

        // A local caller's gap is the bridge's own clock, counted apart from the conference tracks' gaps.
        PhoneConferenceAudioStatistics stalled = _room.StatisticsOf(listener, 0, 0);
        Assert.Equal((2L, 0L), (stalled.CallerUnderruns, stalled.TrackUnderruns));
        speaker.Speak(PhoneTone(400, f));
        listener.Read(_mix);
        Assert.Equal(PhoneTone(400, f), _mix);
    }

    [Fact]
    public void A_caller_that_stopped_speaking_is_not_waited_for_and_one_that_went_quiet_is()
    {
        using RoomAudioMember stopped = _room.AddMember();
        using RoomAudioMember quiet = _room.AddMember();
        using RoomAudioMember listener = _room.AddMember();
        for (int f = 0; f < 5; f++)
        {
            stopped.Speak(PhoneTone(400, f));
            quiet.Speak(PhoneTone(650, f));
            listener.Read(_mix);
        }

        stopped.StopSpeaking();
        for (int f = 0; f < 10; f++)
        {
            listener.Read(_mix);
        }

        // The quiet caller's frames stopped without a word (a stalled clock): once its queued frame is heard, every
        // mix misses it. The one that stopped is out of the room's mix.
        PhoneConferenceAudioStatistics stats = _room.StatisticsOf(listener, 0, 0);
        Assert.Equal((1, 9L), (stats.ActiveTracks, stats.CallerUnderruns));
    }

    [Fact]
    public void Local_callers_stay_when_the_conference_tracks_are_released_and_leave_with_their_call()
    {
        using RoomAudioMember listener = _room.AddMember();
        RoomAudioMember speaker = _room.AddMember();
        _room.OnTrackStarted(Alice);
        for (int f = 0; f < 5; f++)
        {
            Deliver(Alice, _alice, 650);
            speaker.Speak(PhoneTone(400, f));
            listener.Read(_mix);
        }

        _room.ReleaseTracks();
        speaker.Speak(PhoneTone(400, 5));
        listener.Read(_mix);
        Assert.Equal(1, _room.StatisticsOf(listener, 0, 0).ActiveTracks);
        Assert.True(Tones.Power(_mix, 400, RoomAudio.SampleRate) > 1e5, $"{Tones.Power(_mix, 400, RoomAudio.SampleRate):E2}");

        speaker.Dispose();
        speaker.Speak(PhoneTone(400, 6));
        listener.Read(_mix);
        Assert.Equal(0, _room.StatisticsOf(listener, 0, 0).ActiveTracks);
        Assert.All(_mix, s => Assert.Equal(0, s));
    }

    [Fact]
    public void A_room_frame_for_two_calls_allocates_nothing()
    {
        using RoomAudioMember one = _room.AddMember();
        using RoomAudioMember two = _room.AddMember();
        _localCallers.Add("alice");
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

        one.Speak(_speech);
        one.Read(_mix);
        two.Speak(_speech);
        two.Read(_mix);
    }
}
