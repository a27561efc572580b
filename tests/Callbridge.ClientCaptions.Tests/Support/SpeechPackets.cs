using Callbridge.Audio.Opus;
using Callbridge.Audio.Wav;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Media;

namespace Callbridge.ClientCaptions.Tests.Support;

/// <summary>flite speech at 48 kHz, encoded by libopus into 20 ms packets as a WebRTC sender sends them.</summary>
internal static class SpeechPackets
{
    public const int FrameSamples = OpusEncoder.FrameSamples48k;

    /// <summary>Silence, <paramref name="text"/> spoken, then silence; one Opus packet per 20 ms.</summary>
    public static async Task<List<byte[]>> SpeakAsync(string text, FliteVoice voice, double silenceSeconds = 1.0)
    {
        string wav = await SpeechSynth.WriteWavAsync(text, voice, SpeechSynth.WebRtcRate, TestEnvironment.NewFolder("speech"));
        using WavReader reader = WavReader.Open(wav);
        short[] speech = reader.ReadAll();
        var silence = new short[(int)(48000 * silenceSeconds)];
        return Encode([.. silence, .. speech, .. silence]);
    }

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
            packets.Add(buffer.AsSpan(0, encoder.Encode(frame, buffer)).ToArray());
        }

        return packets;
    }
}
