using Callbridge.Audio.Opus;
using Callbridge.Audio.Wav;
using Callbridge.TestSupport.Media;

namespace Callbridge.Gateways.Captions.Tests;

/// <summary>flite speech at 48 kHz encoded into 20 ms Opus packets, as a WebRTC sender sends it.</summary>
internal static class OpusSpeech
{
    public const int FrameSamples = 960;

    public static async Task<short[]> SayAsync(string text, FliteVoice voice, string folder)
    {
        string wav = await SpeechSynth.WriteWavAsync(text, voice, SpeechSynth.WebRtcRate, folder);
        using WavReader reader = WavReader.Open(wav);
        return reader.ReadAll();
    }

    public static short[] Silence(TimeSpan duration) => new short[(int)(48000 * duration.TotalSeconds)];

    public static List<byte[]> Encode(ReadOnlySpan<short> pcm48)
    {
        using var encoder = new OpusEncoder(48000, 1, OpusApplication.Voip) { Bitrate = 32000 };
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
