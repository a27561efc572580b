using Callbridge.TestSupport;
using Callbridge.TestSupport.Media;

namespace Callbridge.ClientCaptions.Tests.Support;

/// <summary>flite speech between silences, as 20 ms Opus packets (<see cref="OpusPackets"/>).</summary>
internal static class SpeechPackets
{
    /// <summary>Silence, <paramref name="text"/> spoken, then silence; one Opus packet per 20 ms.</summary>
    public static async Task<List<byte[]>> SpeakAsync(string text, FliteVoice voice, double silenceSeconds = 1.0)
    {
        short[] speech = await OpusPackets.SayAsync(text, voice, TestEnvironment.NewFolder("speech"));
        short[] silence = OpusPackets.Silence(TimeSpan.FromSeconds(silenceSeconds));
        return OpusPackets.Encode([.. silence, .. speech, .. silence]);
    }
}
