using System.Collections.Concurrent;
using Callbridge.Audio.Wav;
using Callbridge.Sdp;
using Callbridge.TestSupport.Media;
using Callbridge.TestSupport.Sip;
using Xunit.Abstractions;

namespace Callbridge.PhoneMedia.Tests;

/// <summary>
/// The phone session against real SIP user agents in the test namespace: sipp playing its own RFC 4733
/// recordings, and baresip recording what it hears and sending flite speech. Signalling is a minimal
/// 200-OK answerer (<see cref="TestSipAnswerer"/>); the media is all real.
/// </summary>
public sealed class RealPeerTests(SippFixture sipp, BaresipFixture baresip, ITestOutputHelper output) : IClassFixture<SippFixture>, IClassFixture<BaresipFixture>
{
    private static string Answer(PhoneRtpSession session, SessionDescription offer)
    {
        Assert.True(PhoneSdp.TryCreateAnswer(offer, session.LocalEndPoint, out SessionDescription? answer, out PhoneMediaParameters? parameters, out PhoneSdpError error), error.ToString());
        session.Start(parameters!);
        return answer!.ToString();
    }

    [Fact]
    public Task Sipps_rfc_4733_pcaps_come_out_as_the_digits_in_order() => FailureLogs.RunAsync(output, async () =>
    {
        await using PhoneRtpSession session = PhoneRtpSession.Open(TestEnvironment.TestIp);
        var digits = new ConcurrentQueue<DtmfDigit>();
        session.DigitReceived += digits.Enqueue;
        await using var sip = new TestSipAnswerer(TestEnvironment.TestIp, offer => Answer(session, offer));

        int exit = await sipp.RunAsync(new SippOptions { Name = "uac-dtmf", Scenario = "uac_dtmf_pcap.xml", Target = sip.EndPoint, Timeout = TimeSpan.FromSeconds(30) });
        await sip.ByeReceived.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(0, exit);
        output.WriteLine($"digits: {string.Join(", ", digits)}; {session.Statistics}");
        Assert.Equal("122#", new string(digits.Select(d => d.Digit).ToArray()));
        // Every recording ends its event at duration 2240 (0x08c0) timestamp units: 280 ms at 8 kHz.
        Assert.All(digits, d => Assert.Equal(new DtmfDigit(d.Digit, TimeSpan.FromMilliseconds(280), DtmfSource.Rfc4733), d));
        Assert.Equal(8, session.Statistics.DtmfDuplicates);
    }, sipp);

    [Fact]
    public Task Baresip_records_the_prompt_the_session_plays_and_its_speech_reaches_the_session() => FailureLogs.RunAsync(output, async () =>
    {
        string media = TestEnvironment.NewFolder("phone-media");
        string speech = await SpeechSynth.WriteWavAsync("Hello bridge. This is the caller speaking, one two three four.", FliteVoice.Rms, SpeechSynth.TelephonyRate, media);
        short[] spoken;
        using (WavReader reader = WavReader.Open(speech))
        {
            spoken = reader.ReadAll();
        }

        // baresip's aufile source ends the call at the end of its file: pad the speech to 9 s.
        string padded = Path.Combine(media, "caller-9s.wav");
        using (WavWriter writer = WavWriter.Create(padded, new WavFormat(8000, 1)))
        {
            writer.Write(spoken);
            writer.Write(new short[Math.Max(0, (9 * 8000) - spoken.Length)]);
        }

        await using PhoneRtpSession session = PhoneRtpSession.Open(TestEnvironment.TestIp);
        var heard = new HeardAudio();
        var player = new PromptPlayer();
        session.AudioSink = heard;
        session.AudioSource = player;
        await using var sip = new TestSipAnswerer(TestEnvironment.TestIp, offer => Answer(session, offer));

        await using BaresipInstance phone = baresip.Start(new BaresipOptions { AudioSourceWav = padded, Dial = sip.Uri("bridge"), RunFor = TimeSpan.FromSeconds(14) });
        await sip.Acked.WaitAsync(TimeSpan.FromSeconds(15));
        await player.PlayAsync(PhonePrompt.E2eeRefused).WaitAsync(TimeSpan.FromSeconds(15));
        await sip.ByeReceived.WaitAsync(TimeSpan.FromSeconds(20));
        await phone.WaitForExitAsync(TimeSpan.FromSeconds(20));
        output.WriteLine($"codec {session.Parameters}; {session.Statistics}");

        // What baresip received and decoded is the prompt: same speech envelope, somewhat delayed.
        float[] prompt = ToFloat(PhonePrompts.LoadDefault()[PhonePrompt.E2eeRefused].Span);
        WavAudio received = WavAudio.Read(Assert.Single(phone.ReceivedRecordings));
        (double promptCorrelation, int promptLag) = AudioCompare.NormalizedCrossCorrelation(
            AudioCompare.EnergyEnvelope(prompt, 8000),
            AudioCompare.EnergyEnvelope(received.Samples, received.SampleRate),
            maxLag: 400);
        output.WriteLine($"prompt vs baresip's recording: r={promptCorrelation:F3} at lag {promptLag * 10} ms; recording {received.DurationSeconds:F1} s");
        Assert.True(promptCorrelation > 0.9, $"prompt envelope correlation {promptCorrelation}");

        // What the session's jitter buffer played out is baresip's microphone: every phrase of the flite speech,
        // in order. Phrase by phrase, because the playout may shorten a pause to take out the delay a burst
        // left (baresip sends in bursts on a loaded machine), which shifts what follows.
        float[] ours = ToFloat(heard.Samples);
        using (WavWriter writer = WavWriter.Create(Path.Combine(media, "session-playout.wav"), new WavFormat(8000, 1)))
        {
            writer.Write(heard.Samples);
        }

        var phrases = AudioCompare.PhrasesInOrder(AudioCompare.EnergyEnvelope(ToFloat(spoken), 8000), AudioCompare.EnergyEnvelope(ours, 8000), minPauseWindows: 5);
        output.WriteLine($"caller speech phrases in the session playout (speech ms -> playout ms: r): {string.Join(", ", phrases.Select(p => $"{p.SpeechStart * 10} -> {p.HeardStart * 10}: {p.R:F2}"))}; played {ours.Length / 8000.0:F1} s");
        // A host stall of a second (seen at load averages near 20) costs the phrases under it: most must be there.
        Assert.True(phrases.Count >= 5, $"{phrases.Count} phrases in the speech");
        Assert.True(phrases.Count(p => p.R > 0.85) >= 0.55 * phrases.Count, "too few of the caller's phrases were played out");
        // The same measure on other speech (the prompt, also flite) stays below that bar.
        var unrelated = AudioCompare.PhrasesInOrder(AudioCompare.EnergyEnvelope(ToFloat(spoken), 8000), AudioCompare.EnergyEnvelope(prompt, 8000), minPauseWindows: 5);
        output.WriteLine($"caller speech phrases in the prompt (control): {string.Join(", ", unrelated.Select(p => $"{p.R:F2}"))}");
        Assert.True(unrelated.Count(p => p.R > 0.85) < 0.55 * unrelated.Count, "the measure does not tell the caller's speech from the prompt");
        Assert.Equal(PhoneCodec.Pcmu, session.Parameters!.Codec);

    }, baresip);

    private static float[] ToFloat(ReadOnlySpan<short> samples)
    {
        var result = new float[samples.Length];
        for (int i = 0; i < samples.Length; i++)
        {
            result[i] = samples[i] / 32768f;
        }

        return result;
    }

    private sealed class HeardAudio : IPhoneAudioSink
    {
        private readonly List<short> _samples = [];

        public short[] Samples
        {
            get
            {
                lock (_samples)
                {
                    return [.. _samples];
                }
            }
        }

        public void OnPhoneAudio(ReadOnlySpan<short> frame8k, bool concealed)
        {
            lock (_samples)
            {
                foreach (short s in frame8k)
                {
                    _samples.Add(s);
                }
            }
        }
    }
}
