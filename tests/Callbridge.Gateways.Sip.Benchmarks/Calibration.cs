using System.Globalization;
using Callbridge.Audio.Opus;
using Callbridge.Conference;
using Callbridge.PhoneMedia;

namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>
/// Checks the onset detectors on the bridge's own audio path without network or timers: the marker signal
/// goes frame by frame through <see cref="PhoneConferenceAudio"/> (Opus encode at 8 kHz) and is decoded
/// again; prints the onsets found at each end and their offset in samples of the signal's own time line.
/// </summary>
internal static class Calibration
{
    public static int Run()
    {
        const int frames = 500;
        var pcm = new short[frames * CallerAudio.FrameSamples];
        int period = CallerAudio.MarkerPeriodMs * CallerAudio.Rate / 1000;
        int beep = CallerAudio.BeepMs * CallerAudio.Rate / 1000;
        for (int start = period - beep; start < pcm.Length; start += period)
        {
            for (int i = 0; i < beep && start + i < pcm.Length; i++)
            {
                pcm[start + i] = (short)(CallerAudio.BeepAmplitude * Math.Cos(2 * Math.PI * 1000 * i / CallerAudio.Rate));
            }
        }

        var capture = new Capture();
        using var audio = new PhoneConferenceAudio { Publication = capture };
        var input = new OnsetDetector(8000);
        var output = new OnsetDetector(48000);
        using var decoder = new OpusDecoder(48000, 1);
        var decoded = new short[5760];
        for (int f = 0; f < frames; f++)
        {
            ReadOnlySpan<short> frame = pcm.AsSpan(f * CallerAudio.FrameSamples, CallerAudio.FrameSamples);
            int at = input.Find(frame);
            if (at >= 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"input onset at {(f * 20) + (at / 8.0):F2} ms"));
            }

            audio.OnPhoneAudio(frame, concealed: false);
            decoder.TryDecode(capture.Last, decoded, out int n);
            int o = output.Find(decoded.AsSpan(0, n));
            if (o >= 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  Opus onset at {(f * 20) + (o / 48.0):F2} ms"));
            }
        }

        Console.WriteLine($"input peak {input.Peak}, Opus peak {output.Peak}, quiet frames {input.QuietFrames} / {output.QuietFrames}");
        return 0;
    }

    private sealed class Capture : IConferenceAudioPublication
    {
        public byte[] Last { get; private set; } = [];

        public uint Ssrc => 1;

        public bool TrySendOpus(ReadOnlySpan<byte> opusPacket, int samples48k = 960)
        {
            Last = opusPacket.ToArray();
            return true;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
