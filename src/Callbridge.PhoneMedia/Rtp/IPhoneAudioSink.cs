namespace Callbridge.PhoneMedia;

/// <summary>What the caller says: pushed by the session once per 20 ms frame, on its timer thread.</summary>
public interface IPhoneAudioSink
{
    /// <summary>
    /// 160 samples of 8 kHz mono PCM out of the jitter buffer. <paramref name="concealed"/> frames are
    /// silence standing in for lost, late or absent packets. The span is valid only during the call.
    /// </summary>
    void OnPhoneAudio(ReadOnlySpan<short> frame8k, bool concealed);
}
