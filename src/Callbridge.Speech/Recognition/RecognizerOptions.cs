using Callbridge.Speech.Vad;

namespace Callbridge.Speech.Recognition;

/// <summary>Segmentation and queueing settings of a <see cref="StreamingRecognizer"/>.</summary>
public sealed record RecognizerOptions
{
    /// <summary>All engines here decode 16 kHz mono.</summary>
    public const int SampleRate = 16000;

    /// <summary>
    /// A partial goes out after each this much utterance audio. 500 ms keeps captions moving at twice
    /// the once-a-second floor users notice, at the cost of one backtrace per interval.
    /// </summary>
    public TimeSpan PartialInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Continuous speech is cut into a final after this long (as Jigasi/Skynet do), so that a speaker
    /// who never pauses still gets stable text and the decoder's search space stays bounded.
    /// </summary>
    public TimeSpan MaxUtterance { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Audio kept from before the VAD onset and fed with the utterance, so soft word starts are not clipped.</summary>
    public TimeSpan PreRoll { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Audio queue capacity in chunks; with 20 ms pushes, 250 chunks are 5 s of audio.</summary>
    public int AudioQueueChunks { get; init; } = 250;

    /// <summary>Results waiting for the reader before the decoding worker stops to wait.</summary>
    public int ResultQueueCapacity { get; init; } = 64;

    public EnergyVadOptions Vad { get; init; } = new();
}
