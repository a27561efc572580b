using Callbridge.Audio.G711;
using Callbridge.Rtp;

namespace Callbridge.PhoneMedia.Tests;

public sealed class PhonePlayoutTests : IDisposable
{
    private readonly ManualTimeProvider _time = new();
    private readonly PhonePlayout _playout;
    private readonly short[] _frame = new short[160];
    private ushort _sequence;

    public PhonePlayoutTests() => _playout = new PhonePlayout(new PhoneRtpSessionOptions(), _time, 160);

    public void Dispose() => _playout.Dispose();

    /// <summary>One packet of <paramref name="samples"/>; a 440 Hz tone at speech level, or silence when <paramref name="quiet"/>.</summary>
    private void Insert(int samples = 160, bool quiet = false)
    {
        var payload = new byte[samples];
        ALaw.Encode(quiet ? new short[samples] : Tones.Sine(440, 8000, samples, 0.2, _sequence * samples), payload);
        var packet = new RtpPacket { PayloadType = 8, SequenceNumber = _sequence, Timestamp = _sequence * 160u, Ssrc = 1, Payload = payload };
        _sequence++;
        var buffer = new byte[packet.GetSerializedLength()];
        packet.WriteTo(buffer);
        _playout.Insert(buffer, _time.GetTimestamp());
    }

    [Fact]
    public void Delay_left_by_a_burst_drains_by_one_frame_per_second_while_the_caller_speaks()
    {
        // A burst of 6 frames, then one frame per tick: 5 frames stay queued ahead of playout.
        for (int i = 0; i < 6; i++)
        {
            Insert();
        }

        int dropsAfter = -1;
        for (int tick = 1; tick <= 200; tick++)
        {
            Insert();
            Assert.True(_playout.ReadFrame(_frame, PhoneCodec.Pcma));
            _time.Advance(TimeSpan.FromMilliseconds(20));
            if (dropsAfter < 0 && _playout.SamplesDropped > 0)
            {
                dropsAfter = tick;
            }
        }

        // 6 queued frames down to the 2-frame target: 4 frames, one per second.
        Assert.Equal(50, dropsAfter);
        Assert.Equal(4 * 160, _playout.SamplesDropped);
        Assert.Equal(0, _playout.QuietFramesDropped);
    }

    [Fact]
    public void Delay_left_by_a_burst_goes_in_the_next_pause()
    {
        // A burst of 6 frames of speech, then speech for 0.5 s, then a pause, one frame per tick.
        for (int i = 0; i < 6; i++)
        {
            Insert();
        }

        var dropsAt = new List<int>();
        long dropped = 0;
        for (int tick = 1; tick <= 60; tick++)
        {
            Insert(quiet: tick > 25);
            Assert.True(_playout.ReadFrame(_frame, PhoneCodec.Pcma));
            _time.Advance(TimeSpan.FromMilliseconds(20));
            if (_playout.SamplesDropped != dropped)
            {
                dropsAt.Add(tick);
                dropped = _playout.SamplesDropped;
            }
        }

        // Nothing of the speech is dropped; once a whole second showed the 4 frames above the target standing,
        // they go one per tick from the pause.
        Assert.Equal(4 * 160, _playout.SamplesDropped);
        Assert.Equal(4, _playout.QuietFramesDropped);
        Assert.Equal([50, 51, 52, 53], dropsAt);
    }

    [Fact]
    public void A_queue_that_arrival_jitter_keeps_using_is_not_drained_in_pauses()
    {
        // Quiet audio arriving in bursts of 8 packets every 160 ms: the queue spends 100 ms of each burst above
        // its 2-frame target and then empties: nothing stays, so no frame is taken out.
        for (int tick = 1; tick <= 400; tick++)
        {
            if (tick % 8 == 1)
            {
                for (int i = 0; i < 8; i++)
                {
                    Insert(quiet: true);
                }
            }

            _playout.ReadFrame(_frame, PhoneCodec.Pcma);
            _time.Advance(TimeSpan.FromMilliseconds(20));
        }

        Assert.Equal(0, _playout.SamplesDropped);
    }

    [Fact]
    public void Packets_of_30_ms_are_played_as_20_ms_frames_without_gaps()
    {
        for (int i = 0; i < 4; i++)
        {
            Insert(240);
        }

        int complete = 0;
        for (int i = 0; i < 6; i++)
        {
            complete += _playout.ReadFrame(_frame, PhoneCodec.Pcma) ? 1 : 0;
        }

        Assert.Equal(6, complete);
        Assert.False(_playout.ReadFrame(_frame, PhoneCodec.Pcma));
    }
}
