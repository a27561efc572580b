using Callbridge.Audio.Opus;

namespace Callbridge.WebRtc.Tests;

/// <summary>Received Opus frames back to PCM for envelope comparison (shared with the conference tests).</summary>
internal static class OpusTimeline
{
    /// <summary>Decodes each frame at its RTP timestamp (48 kHz), so lost or late frames leave silence in place.</summary>
    public static float[] Decode(IReadOnlyList<(uint Timestamp, byte[] Data)> frames)
    {
        using var decoder = new OpusDecoder(48000, 1);
        uint first = frames[0].Timestamp;
        long total = (long)(uint)(frames[^1].Timestamp - first) + 5760;
        var samples = new float[total];
        var scratch = new short[5760];
        foreach ((uint timestamp, byte[] data) in frames)
        {
            long at = (uint)(timestamp - first);
            int count = decoder.Decode(data, scratch);
            for (int i = 0; i < count && at + i < total; i++)
            {
                samples[at + i] = scratch[i] / 32768f;
            }
        }

        return samples;
    }

    /// <summary>The values repeated <paramref name="times"/> times: a looped source compared from any phase.</summary>
    public static double[] Repeat(double[] values, int times)
    {
        var result = new double[values.Length * times];
        for (int i = 0; i < times; i++)
        {
            values.CopyTo(result, i * values.Length);
        }

        return result;
    }
}
