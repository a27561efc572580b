using Callbridge.Audio.Opus;
using Callbridge.Conference;

namespace Callbridge.PhoneMedia.Tests;

public sealed class PhoneConferenceAudioTests : IDisposable
{
    private static readonly PublishedTrack TrackA = new("track-a", "alice", "1", TrackKind.Audio, "opus");
    private static readonly PublishedTrack TrackB = new("track-b", "bob", "2", TrackKind.Audio, "opus");

    private readonly PhoneConferenceAudio _audio = new();
    private readonly RecordingPublication _publication = new();
    private readonly OpusEncoder _encoderA = new();
    private readonly OpusEncoder _encoderB = new();
    private readonly byte[] _packet = new byte[1275];
    private int _frame;

    public PhoneConferenceAudioTests() => _audio.Publication = _publication;

    public void Dispose()
    {
        _audio.Dispose();
        _encoderA.Dispose();
        _encoderB.Dispose();
    }

    private void Deliver(PublishedTrack track, OpusEncoder encoder, double frequency, bool looksEncrypted = false)
    {
        short[] pcm = Tones.Sine(frequency, 48000, 960, offset: _frame * 960);
        int length = encoder.Encode(pcm, _packet);
        var frame = new ConferenceFrame
        {
            Track = track,
            Ssrc = 1,
            RtpTimestamp = (uint)(_frame * 960),
            ClockRate = 48000,
            IsKeyFrame = true,
            AfterLoss = false,
            LooksEncrypted = looksEncrypted,
            ReceivedTimestamp = 0,
            Data = _packet.AsSpan(0, length),
        };
        _audio.OnFrame(in frame);
    }

    /// <summary>Runs <paramref name="frames"/> 20 ms frames: conference tracks in, caller tone in, phone mix out.</summary>
    private short[] Run(int frames, double callerFrequency, params (PublishedTrack Track, OpusEncoder Encoder, double Frequency)[] tracks)
    {
        var phone = new short[frames * 160];
        for (int f = 0; f < frames; f++, _frame++)
        {
            foreach ((PublishedTrack track, OpusEncoder encoder, double frequency) in tracks)
            {
                Deliver(track, encoder, frequency);
            }

            _audio.OnPhoneAudio(Tones.Sine(callerFrequency, 8000, 160, offset: f * 160), concealed: false);
            Assert.Equal(160, _audio.Read(phone.AsSpan(f * 160, 160)));
        }

        return phone;
    }

    [Fact]
    public void The_phone_hears_every_conference_track_but_not_the_caller()
    {
        short[] phone = Run(50, 1000, (TrackA, _encoderA, 440), (TrackB, _encoderB, 660));

        ReadOnlySpan<short> steady = phone.AsSpan(10 * 160);
        double a = Tones.Power(steady, 440, 8000);
        double b = Tones.Power(steady, 660, 8000);
        double caller = Tones.Power(steady, 1000, 8000);
        Assert.True(a > 1000 * caller, $"440 Hz {a:E2} vs caller 1000 Hz {caller:E2}");
        Assert.True(b > 1000 * caller, $"660 Hz {b:E2} vs caller 1000 Hz {caller:E2}");
        Assert.Equal(2, _audio.Statistics.ActiveTracks);
    }

    [Fact]
    public void Without_conference_tracks_the_phone_hears_silence_although_the_caller_speaks()
    {
        short[] phone = Run(20, 1000);

        Assert.True(Tones.Rms(phone) < 1, $"rms {Tones.Rms(phone)}");
    }

    [Theory]
    [InlineData(20)]
    [InlineData(40)]
    [InlineData(60)]
    public void The_callers_voice_reaches_the_conference_as_opus_packets_of_the_set_duration(int packetMilliseconds)
    {
        using var audio = new PhoneConferenceAudio(new PhoneConferenceAudioOptions { OpusPacketMilliseconds = packetMilliseconds });
        var publication = new RecordingPublication();
        audio.Publication = publication;
        const int frames = 60;
        for (int f = 0; f < frames; f++)
        {
            audio.OnPhoneAudio(Tones.Sine(1000, 8000, 160, offset: f * 160), concealed: false);
        }

        int perPacket = packetMilliseconds / 20;
        Assert.Equal(frames / perPacket, publication.Packets.Count);
        Assert.Equal(frames / perPacket, audio.Statistics.OpusPacketsEncoded);
        using var decoder = new OpusDecoder();
        var pcm = new List<short>();
        var buffer = new short[5760];
        foreach (byte[] packet in publication.Packets)
        {
            int n = decoder.Decode(packet, buffer);
            Assert.Equal(packetMilliseconds * 48, n);
            pcm.AddRange(buffer.Take(n));
        }

        short[] steady = pcm.Skip(10 * 960).ToArray();
        Assert.True(Tones.Power(steady, 1000, 48000) > 100 * Tones.Power(steady, 440, 48000));
        Assert.All(publication.Samples, s => Assert.Equal(packetMilliseconds * 48, s));
    }

    /// <summary>
    /// The packets' TOC byte (RFC 6716 §3.1) says which layer coded them: configurations 0-3 are SILK narrowband,
    /// 16-19 CELT narrowband. The application decides it (null: the defaults, the low-delay layer).
    /// </summary>
    [Theory]
    [InlineData(null, 16, 19)]
    [InlineData(OpusApplication.RestrictedLowDelay, 16, 19)]
    [InlineData(OpusApplication.Voip, 0, 3)]
    public void The_callers_encoder_codes_with_the_layer_its_application_names(OpusApplication? application, int lowestConfig, int highestConfig)
    {
        var options = new PhoneConferenceAudioOptions();
        using var audio = new PhoneConferenceAudio(application is { } a ? options with { OpusApplication = a } : options);
        var publication = new RecordingPublication();
        audio.Publication = publication;
        for (int f = 0; f < 50; f++)
        {
            audio.OnPhoneAudio(Tones.Sine(300 + (f % 7 * 100), 8000, 160, offset: f * 160), concealed: false);
        }

        Assert.NotEmpty(publication.Packets);
        Assert.All(publication.Packets, packet => Assert.InRange(packet[0] >> 3, lowestConfig, highestConfig));
    }

    [Fact]
    public void A_packet_duration_opus_cannot_take_from_whole_phone_frames_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PhoneConferenceAudio(new PhoneConferenceAudioOptions { OpusPacketMilliseconds = 30 }));
    }

    [Fact]
    public void Encrypted_frames_and_tracks_are_left_out_of_the_mix()
    {
        for (int f = 0; f < 20; f++, _frame++)
        {
            Deliver(TrackA, _encoderA, 440, looksEncrypted: true);
        }

        Assert.Equal(20, _audio.Statistics.ConferenceFramesIgnored);
        Run(5, 1000, (TrackB, _encoderB, 660));
        _audio.OnTrackEncrypted(TrackB, "jframe");
        short[] after = Run(10, 1000, (TrackB, _encoderB, 660));

        // The first 20 ms still carry the resampler's filter tail of the audio before.
        Assert.True(Tones.Rms(after.AsSpan(160)) < 1, $"rms {Tones.Rms(after.AsSpan(160))}");
    }

    [Fact]
    public void An_ended_track_frees_its_slot()
    {
        Run(3, 1000, (TrackA, _encoderA, 440));
        _audio.OnTrackEnded(TrackA, "left");

        Assert.Equal(0, _audio.Statistics.ActiveTracks);
        short[] after = Run(10, 1000);
        Assert.True(Tones.Rms(after.AsSpan(160)) < 1, $"rms {Tones.Rms(after.AsSpan(160))}");
    }

    [Fact]
    public void A_20_ms_frame_both_ways_allocates_nothing()
    {
        _publication.Record = false;
        short[] caller = Tones.Sine(1000, 8000, 160);
        var phone = new short[160];
        byte[] packetA = new byte[1275];
        int lengthA = _encoderA.Encode(Tones.Sine(440, 48000, 960), packetA);
        for (int i = 0; i < 20; i++)
        {
            FrameBothWays(packetA.AsSpan(0, lengthA), caller, phone);
        }

        long allocated = AllocationMeter.LeastBytesPerPass(() =>
        {
            for (int i = 0; i < 100; i++)
            {
                FrameBothWays(packetA.AsSpan(0, lengthA), caller, phone);
            }
        });

        Assert.Equal(0, allocated);
    }

    private void FrameBothWays(ReadOnlySpan<byte> opus, short[] caller, short[] phone)
    {
        var frame = new ConferenceFrame
        {
            Track = TrackA,
            Ssrc = 1,
            RtpTimestamp = 0,
            ClockRate = 48000,
            IsKeyFrame = true,
            AfterLoss = false,
            LooksEncrypted = false,
            ReceivedTimestamp = 0,
            Data = opus,
        };
        _audio.OnFrame(in frame);
        _audio.OnPhoneAudio(caller, concealed: false);
        _audio.Read(phone);
    }

    private sealed class RecordingPublication : IConferenceAudioPublication
    {
        public uint Ssrc => 7;

        public List<byte[]> Packets { get; } = [];

        public List<int> Samples { get; } = [];

        public bool Record { get; set; } = true;

        public bool TrySendOpus(ReadOnlySpan<byte> opusPacket, int samples48k = 960)
        {
            if (Record && Packets.Count < 200)
            {
                Packets.Add(opusPacket.ToArray());
                Samples.Add(samples48k);
            }

            return true;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
