using Callbridge.Audio.Opus;

namespace Callbridge.WebRtc.Tests;

/// <summary>Sends PCM as 20 ms Opus frames in real time (shared with the conference tests).</summary>
internal static class OpusPump
{
    public delegate bool Send(ReadOnlySpan<byte> opusPacket);

    /// <summary>Encodes <paramref name="pcm"/> (48 kHz mono) in 20 ms frames, looping, one every 20 ms until cancelled; returns frames accepted.</summary>
    public static async Task<long> RunAsync(Send send, short[] pcm, CancellationToken cancellationToken)
    {
        using var encoder = new OpusEncoder(48000, 1);
        var packet = new byte[OpusEncoder.MaxPacketBytes];
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        long sent = 0;
        int position = 0;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                if (position + OpusEncoder.FrameSamples48k > pcm.Length)
                {
                    position = 0;
                }

                int length = encoder.Encode(pcm.AsSpan(position, OpusEncoder.FrameSamples48k), packet);
                position += OpusEncoder.FrameSamples48k;
                if (send(packet.AsSpan(0, length)))
                {
                    sent++;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by the caller.
        }

        return sent;
    }
}
