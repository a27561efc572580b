using Callbridge.TestSupport;
using Callbridge.TestSupport.Media;

namespace Callbridge.Stack.Tests.Media;

/// <summary>The media helpers against the real flite, sox, ffmpeg and ffprobe.</summary>
public sealed class MediaToolsTests
{
    [Theory]
    [InlineData(FliteVoice.Slt, SpeechSynth.WebRtcRate)]
    [InlineData(FliteVoice.Rms, SpeechSynth.TelephonyRate)]
    [InlineData(FliteVoice.Awb, SpeechSynth.TelephonyRate)]
    public async Task Speech_wav_has_the_requested_rate_and_is_not_silent(FliteVoice voice, int rate)
    {
        var wav = await SpeechSynth.WriteWavAsync("Testing one two three.", voice, rate, TestEnvironment.NewFolder("media"));

        var probe = await Ffprobe.ProbeAsync(wav);
        var audio = WavAudio.Read(wav);

        var stream = Assert.Single(probe.Streams);
        Assert.Equal(("audio", "pcm_s16le", rate, 1), (stream.CodecType, stream.CodecName, stream.SampleRate, stream.Channels));
        Assert.Equal(rate, audio.SampleRate);
        Assert.InRange(audio.DurationSeconds, 0.8, 5);
        Assert.InRange(probe.DurationSeconds ?? 0, audio.DurationSeconds - 0.01, audio.DurationSeconds + 0.01);
        Assert.True(AudioCompare.Rms(audio.Samples) > 0.01);
    }

    [Fact]
    public async Task Test_clip_is_a_y4m_of_the_requested_size()
    {
        var y4m = await TestVideo.WriteY4mAsync(TestEnvironment.NewFolder("media"), width: 160, height: 120, fps: 10, seconds: 1);

        var probe = await Ffprobe.ProbeAsync(y4m);

        var video = Assert.Single(probe.Video);
        Assert.Equal(("rawvideo", 160, 120), (video.CodecName, video.Width, video.Height));
        Assert.Equal("yuv4mpegpipe", probe.FormatName);
        Assert.StartsWith("YUV4MPEG2 W160 H120 F10:1", System.Text.Encoding.ASCII.GetString(File.ReadAllBytes(y4m), 0, 40), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Envelope_correlation_finds_a_delayed_copy_and_tells_different_speech_apart()
    {
        var folder = TestEnvironment.NewFolder("media");
        var a = WavAudio.Read(await SpeechSynth.WriteWavAsync("The quick brown fox jumps over the lazy dog.", FliteVoice.Slt, 8000, folder));
        var b = WavAudio.Read(await SpeechSynth.WriteWavAsync("Seven silver spoons sat on a wooden table.", FliteVoice.Rms, 8000, folder));
        // a delayed by 250 ms = 25 windows of 10 ms, as a network path would.
        var delayed = new float[a.Samples.Length + 2000];
        a.Samples.CopyTo(delayed, 2000);

        var envA = AudioCompare.EnergyEnvelope(a.Samples, 8000);
        var same = AudioCompare.NormalizedCrossCorrelation(envA, AudioCompare.EnergyEnvelope(delayed, 8000), maxLag: 50);
        var different = AudioCompare.NormalizedCrossCorrelation(envA, AudioCompare.EnergyEnvelope(b.Samples, 8000), maxLag: 50);

        Assert.Equal(25, same.Lag);
        Assert.True(same.Correlation > 0.999, $"same {same.Correlation}");
        Assert.True(different.Correlation < 0.7, $"different {different.Correlation}");
    }

    [Fact]
    public void Wav_reader_rejects_what_it_cannot_read()
    {
        Assert.Throws<InvalidDataException>(() => WavAudio.Parse("RIFF\0\0\0\0WAVX"u8));
        Assert.Throws<InvalidDataException>(() => WavAudio.Parse("RIFF\0\0\0\0WAVEdata\0\0\0\0"u8));
        Assert.Throws<InvalidDataException>(() => WavAudio.Parse([]));
    }

    [Fact]
    public void Ffprobe_parser_reads_string_and_number_fields()
    {
        var result = Ffprobe.Parse("""{"streams":[{"index":0,"codec_type":"audio","codec_name":"opus","sample_rate":"48000","channels":2,"duration":"1.500000"}],"format":{"format_name":"matroska,webm","duration":"1.52"}}""");

        Assert.Equal(new FfprobeStream(0, "audio", "opus", 48000, 2, null, null, 1.5), Assert.Single(result.Streams));
        Assert.Equal(("matroska,webm", 1.52), (result.FormatName, result.DurationSeconds));
        Assert.Throws<InvalidDataException>(() => Ffprobe.Parse("{}"));
    }
}
