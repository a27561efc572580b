using Callbridge.PhoneMedia;
using Callbridge.TestSupport.Media;

namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>
/// What the sipp callers play after the PIN, as raw G.711 A-law that sipp's rtp_stream sends in 20 ms RTP
/// packets from the call's own UDP socket: flite speech for the load callers, and for the callers whose delay
/// is measured a 100 ms 1 kHz beep after 1.9 s of digital silence, whose sharp onset is found again on the far
/// side of each bridge stage.
/// </summary>
/// <remarks>
/// Not play_pcap_audio: it sends through a raw socket per playing call, bound to the test address, and the
/// kernel hands every UDP datagram to that address to each of those sockets as well (a clone each, dropped
/// once their unread queues are full). At 100 calls that multiplied the receive work of every packet of the
/// bridge, Janus and sipp a hundredfold and charged it to whoever sent it. The PIN's short RFC 4733 pcaps
/// stay on play_pcap_audio.
/// </remarks>
internal static class CallerAudio
{
    public const int Rate = 8000;
    public const int FrameSamples = 160;
    public const int MarkerPeriodMs = 2000;
    public const int BeepMs = 100;

    /// <summary>A beep sample's amplitude: loud (about -10 dBFS) but far from A-law clipping.</summary>
    public const short BeepAmplitude = 10000;

    public static async Task WriteSpeechAsync(string path, string folder, TimeSpan length)
    {
        string wav = await SpeechSynth.WriteWavAsync(
            "The quarterly numbers look strong and we will ship the release on Friday after the final review.",
            FliteVoice.Awb, SpeechSynth.TelephonyRate, folder, "load-speech.wav").ConfigureAwait(false);
        WavAudio speech = WavAudio.Read(wav);
        if (speech.SampleRate != Rate)
        {
            throw new InvalidOperationException($"flite wrote {speech.SampleRate} Hz, not {Rate}");
        }

        var pcm = new short[(int)(length.TotalSeconds * Rate)];
        int gap = Rate / 2;
        for (int at = 0; at < pcm.Length;)
        {
            for (int i = 0; i < speech.Samples.Length && at < pcm.Length; i++, at++)
            {
                pcm[at] = (short)Math.Clamp(speech.Samples[i] * 32767f, short.MinValue, short.MaxValue);
            }

            at += gap;
        }

        WriteALaw(path, pcm);
    }

    public static void WriteMarker(string path, TimeSpan length)
    {
        var pcm = new short[(int)(length.TotalSeconds * Rate)];
        int period = MarkerPeriodMs * Rate / 1000;
        int beep = BeepMs * Rate / 1000;
        for (int start = period - beep; start < pcm.Length; start += period)
        {
            for (int i = 0; i < beep && start + i < pcm.Length; i++)
            {
                // Starts at the sine's peak so the first sample already crosses the onset threshold.
                pcm[start + i] = (short)(BeepAmplitude * Math.Cos(2 * Math.PI * 1000 * i / Rate));
            }
        }

        WriteALaw(path, pcm);
    }

    /// <summary>The A-law bytes of <paramref name="pcm"/>, whole 20 ms frames, no header: what rtp_stream packetizes.</summary>
    private static void WriteALaw(string path, short[] pcm)
    {
        int frames = pcm.Length / FrameSamples;
        var payload = new byte[frames * FrameSamples];
        G711.Encode(PhoneCodec.Pcma, pcm.AsSpan(0, payload.Length), payload);
        File.WriteAllBytes(path, payload);
    }
}
