using Callbridge.Audio.Opus;
using Callbridge.Audio.Wav;

namespace Callbridge.TestSupport.Media;

/// <summary>48 kHz mono test audio (a tone, silence, flite speech) encoded as 20 ms Opus packets, as a WebRTC sender sends it.</summary>
public static class OpusPackets
{
    public const int SampleRate = 48000;

    /// <summary>20 ms at 48 kHz, the packet time of every WebRTC audio sender.</summary>
    public const int FrameSamples = 960;

    /// <summary>A 300 Hz tone at about -12 dBFS: loud enough for any VAD.</summary>
    public static short[] Tone(TimeSpan duration)
    {
        var pcm = new short[(int)(SampleRate * duration.TotalSeconds)];
        for (int i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * 300 * i / (double)SampleRate));
        }

        return pcm;
    }

    public static short[] Silence(TimeSpan duration) => new short[(int)(SampleRate * duration.TotalSeconds)];

    /// <summary>flite speaking <paramref name="text"/> at 48 kHz (a WAV written in <paramref name="folder"/>).</summary>
    public static async Task<short[]> SayAsync(string text, FliteVoice voice, string folder)
    {
        string wav = await SpeechSynth.WriteWavAsync(text, voice, SpeechSynth.WebRtcRate, folder);
        using WavReader reader = WavReader.Open(wav);
        return reader.ReadAll();
    }

    /// <summary>Encodes whole 20 ms frames (a trailing partial frame is padded with silence) at 32 kbit/s VoIP.</summary>
    public static List<byte[]> Encode(ReadOnlySpan<short> pcm48)
    {
        using var encoder = new OpusEncoder(SampleRate, 1, OpusApplication.Voip) { Bitrate = 32000 };
        var packets = new List<byte[]>();
        var frame = new short[FrameSamples];
        var buffer = new byte[OpusEncoder.MaxPacketBytes];
        for (int offset = 0; offset < pcm48.Length; offset += FrameSamples)
        {
            int n = Math.Min(FrameSamples, pcm48.Length - offset);
            Array.Clear(frame);
            pcm48.Slice(offset, n).CopyTo(frame);
            int written = encoder.Encode(frame, buffer);
            packets.Add(buffer.AsSpan(0, written).ToArray());
        }

        return packets;
    }
}
