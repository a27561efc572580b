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
    public async Task Best_rendition_is_the_one_a_stall_did_not_fall_on()
    {
        var folder = TestEnvironment.NewFolder("media");
        var speech = WavAudio.Read(await SpeechSynth.WriteWavAsync("Hello from the phone. I am calling from the airport, and I can hear all of you very well.",
            FliteVoice.Awb, 8000, folder));
        var other = WavAudio.Read(await SpeechSynth.WriteWavAsync("Seven silver spoons sat on a wooden table, and the kettle sang in the kitchen.",
            FliteVoice.Rms, 8000, folder));
        // Three renditions, 700 ms apart; a stall silences the middle of the first and the last for a second.
        int gap = 5600, n = speech.Samples.Length;
        var heard = new float[gap + 3 * (n + gap)];
        for (int k = 0; k < 3; k++)
        {
            int at = gap + k * (n + gap);
            speech.Samples.CopyTo(heard, at);
            if (k != 1)
            {
                Array.Clear(heard, at + n / 2 - 4000, 8000);
            }
        }

        var envelope = AudioCompare.EnergyEnvelope(speech.Samples, 8000);
        var (phrases, renditions) = AudioCompare.PhrasesInBestRendition(envelope, AudioCompare.EnergyEnvelope(heard, 8000), 0.85, minPauseWindows: 5);
        var (otherPhrases, _) = AudioCompare.PhrasesInBestRendition(envelope, AudioCompare.EnergyEnvelope(other.Samples, 8000), 0.85, minPauseWindows: 5);

        Assert.True(phrases.Count >= 4, renditions);
        Assert.All(phrases, p => Assert.True(p.R > 0.99, renditions));
        int second = (gap + n + gap) / 80;
        Assert.All(phrases, p => Assert.Equal(second + p.SpeechStart, p.HeardStart));
        // The first stretch holds the first rendition whole, which lost phrases to its stall.
        var first = System.Text.RegularExpressions.Regex.Match(renditions, @"^0 ms: (\d+)/(\d+)");
        Assert.True(first.Success && int.Parse(first.Groups[1].Value) < int.Parse(first.Groups[2].Value), renditions);
        Assert.True(otherPhrases.Count(p => p.R > 0.85) < 0.55 * otherPhrases.Count, string.Join(", ", otherPhrases.Select(p => p.R)));
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
