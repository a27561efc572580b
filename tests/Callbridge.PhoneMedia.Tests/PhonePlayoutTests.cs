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

    private void Insert(int samples = 160)
    {
        var payload = new byte[samples];
        ALaw.Encode(new short[samples], payload);
        var packet = new RtpPacket { PayloadType = 8, SequenceNumber = _sequence, Timestamp = _sequence * 160u, Ssrc = 1, Payload = payload };
        _sequence++;
        var buffer = new byte[packet.GetSerializedLength()];
        packet.WriteTo(buffer);
        _playout.Insert(buffer);
    }

    [Fact]
    public void Delay_left_by_a_burst_drains_by_one_frame_per_second()
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
