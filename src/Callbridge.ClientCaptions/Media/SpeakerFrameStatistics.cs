namespace Callbridge.ClientCaptions.Media;

/// <summary>One speaker's frames so far.</summary>
/// <param name="ReportedUndecryptable">The participant was told this speaker's media cannot be decrypted.</param>
/// <param name="LastUndecryptableReason">Why the last dropped frame was dropped.</param>
/// <param name="Ratcheted">Decrypted frames for which the sender's key had to be ratcheted forward first.</param>
/// <param name="LastKeySlot">The key slot of the last decrypted frame, or -1.</param>
public sealed record SpeakerFrameStatistics(long Decrypted, long Clear, long Undecryptable, bool ReportedUndecryptable, UndecryptableReason LastUndecryptableReason,
    long Ratcheted = 0, int LastKeySlot = -1);
