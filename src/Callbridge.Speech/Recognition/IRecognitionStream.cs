namespace Callbridge.Speech.Recognition;

/// <summary>
/// One speaker's audio in (16 kHz mono PCM), results out. Pushes are accepted from one producer;
/// results are read by one consumer. Both directions are bounded queues: a full audio queue makes
/// <see cref="TryPush"/> return false and <see cref="PushAsync"/> wait; an unread result queue holds
/// the decoding worker back, which in turn fills the audio queue.
/// </summary>
public interface IRecognitionStream : IAsyncDisposable
{
    string SpeakerId { get; }

    /// <summary>Copies <paramref name="samples"/> into the audio queue; false when the queue is full.</summary>
    bool TryPush(ReadOnlySpan<short> samples);

    /// <summary>Queues samples, waiting while the audio queue is full.</summary>
    ValueTask PushAsync(ReadOnlyMemory<short> samples, CancellationToken cancellationToken = default);

    /// <summary>No more audio: the utterance in progress gets its final result, then the results end.</summary>
    void Complete();

    /// <summary>Partial and final results in order; ends after <see cref="Complete"/> once all audio is decoded.</summary>
    IAsyncEnumerable<RecognitionResult> ReadResultsAsync(CancellationToken cancellationToken = default);
}
