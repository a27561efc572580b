using Callbridge.Audio.Resampling;
using Callbridge.Audio.Wav;
using Callbridge.Speech.Recognition;

namespace Callbridge.Speech.Captions;

/// <summary>
/// Feeds a PCM WAV of any rate and channel count into a recognition stream as 16 kHz mono (channels
/// averaged, then resampled) and collects every result.
/// </summary>
public static class WavTranscriber
{
    /// <summary>Audio handed to the recognizer per push: 100 ms, the size of a typical network batch.</summary>
    private const int BlockFrames16k = 1600;

    public static async Task<IReadOnlyList<RecognitionResult>> TranscribeAsync(WavReader reader, IStreamingRecognizer recognizer,
        string speakerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(recognizer);
        await using IRecognitionStream stream = recognizer.OpenStream(speakerId);
        Task<List<RecognitionResult>> collector = CollectAsync(stream, cancellationToken);
        await PumpAsync(reader, stream, cancellationToken).ConfigureAwait(false);
        return await collector.ConfigureAwait(false);
    }

    private static async Task<List<RecognitionResult>> CollectAsync(IRecognitionStream stream, CancellationToken cancellationToken)
    {
        var results = new List<RecognitionResult>();
        await foreach (RecognitionResult result in stream.ReadResultsAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add(result);
        }

        return results;
    }

    private static async Task PumpAsync(WavReader reader, IRecognitionStream stream, CancellationToken cancellationToken)
    {
        try
        {
            WavFormat format = reader.Format;
            int channels = format.Channels;
            int inFrames = Math.Max(1, (int)((long)BlockFrames16k * format.SampleRate / RecognizerOptions.SampleRate));
            short[] interleaved = new short[inFrames * channels];
            short[] mono = new short[inFrames];
            using SpeexResampler? resampler = format.SampleRate == RecognizerOptions.SampleRate
                ? null
                : new SpeexResampler(1, format.SampleRate, RecognizerOptions.SampleRate);
            short[] resampled = new short[resampler?.GetMaxOutputLength(inFrames) ?? 0];
            while (true)
            {
                int read = reader.Read(interleaved);
                int frames = read / channels;
                if (frames == 0)
                {
                    break;
                }

                Downmix(interleaved.AsSpan(0, frames * channels), channels, mono);
                ReadOnlyMemory<short> block = mono.AsMemory(0, frames);
                if (resampler is not null)
                {
                    int written = resampler.ProcessAll(mono.AsSpan(0, frames), resampled);
                    block = resampled.AsMemory(0, written);
                }

                await stream.PushAsync(block, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            stream.Complete();
        }
    }

    private static void Downmix(ReadOnlySpan<short> interleaved, int channels, Span<short> mono)
    {
        if (channels == 1)
        {
            interleaved.CopyTo(mono);
            return;
        }

        int frames = interleaved.Length / channels;
        for (int f = 0; f < frames; f++)
        {
            int sum = 0;
            for (int c = 0; c < channels; c++)
            {
                sum += interleaved[f * channels + c];
            }

            mono[f] = (short)(sum / channels);
        }
    }
}
