namespace Callbridge.Speech.Recognition;

/// <summary>
/// Per-speaker streaming recognition over any <see cref="ISpeechEngine"/>: an energy VAD cuts the audio
/// into utterances, the engine decodes them, partials go out every <see cref="RecognizerOptions.PartialInterval"/>
/// and a final at each utterance end. Opening streams is thread-safe.
/// </summary>
public sealed class StreamingRecognizer : IStreamingRecognizer
{
    private readonly ISpeechEngine _engine;
    private readonly RecognizerOptions _options;

    public StreamingRecognizer(ISpeechEngine engine, RecognizerOptions? options = null)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _options = options ?? new RecognizerOptions();
    }

    public IRecognitionStream OpenStream(string speakerId)
    {
        ArgumentNullException.ThrowIfNull(speakerId);
        ISpeechDecoder decoder = _engine.TryLease() ?? throw new RecognizerBusyException(_engine.MaxDecoders);
        return new RecognitionStream(speakerId, _engine, decoder, _options);
    }
}
