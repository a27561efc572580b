namespace Callbridge.PhoneMedia;

/// <summary>What the phone hears: pulled by the session once per 20 ms frame, on its timer thread.</summary>
public interface IPhoneAudioSource
{
    /// <summary>
    /// Fills up to <paramref name="frame8k"/>.Length (160) samples of 8 kHz mono PCM and returns how many
    /// were written; the rest of the frame is sent as silence. Must not block.
    /// </summary>
    int Read(Span<short> frame8k);
}
