namespace Callbridge.Speech.Recognition;

/// <summary>Per-speaker streaming speech recognition.</summary>
public interface IStreamingRecognizer
{
    /// <summary>
    /// Opens a stream for one speaker. Throws <see cref="RecognizerBusyException"/> when every decoder
    /// is in use (the host should then refuse or queue the speaker).
    /// </summary>
    IRecognitionStream OpenStream(string speakerId);
}
