using Callbridge.Audio.Opus;

namespace Callbridge.Captions.Tests;

/// <summary>48 kHz test signals encoded as 20 ms Opus packets, as a WebRTC sender would send them.</summary>
internal static class OpusAudio
{
    public const int FrameSamples = 960;

    /// <summary>A 300 Hz tone at about -12 dBFS: loud enough for any VAD.</summary>
    public static short[] Tone(TimeSpan duration)
    {
        var pcm = new short[(int)(48000 * duration.TotalSeconds)];
        for (int i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * 300 * i / 48000.0));
        }

        return pcm;
    }

    public static short[] Silence(TimeSpan duration) => new short[(int)(48000 * duration.TotalSeconds)];

    /// <summary>Encodes whole 20 ms frames (a trailing partial frame is padded with silence).</summary>
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
