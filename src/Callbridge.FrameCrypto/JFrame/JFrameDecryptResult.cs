namespace Callbridge.FrameCrypto.JFrame;

/// <summary>
/// Outcome of one <see cref="JFrameContext.Decrypt"/> call.
/// </summary>
/// <param name="DropReason"><see cref="JFrameDropReason.None"/> when the frame was decrypted.</param>
/// <param name="BytesWritten">Plaintext frame length written to the destination (0 when dropped).</param>
/// <param name="Attempts">GCM open attempts made (1 + ratchet steps tried; 0 when dropped before any).</param>
/// <param name="RatchetSteps">Ratchet steps the successful key is ahead of the slot's previous key.</param>
public readonly record struct JFrameDecryptResult(JFrameDropReason DropReason, int BytesWritten, int Attempts, int RatchetSteps)
{
    public bool Success => DropReason == JFrameDropReason.None;
}
