using Callbridge.FrameCrypto.JFrame;

namespace Callbridge.ClientCaptions.Media;

/// <summary>Outcome of <see cref="AudioFrameDecryptor.Process"/>.</summary>
/// <param name="BytesWritten">Plaintext Opus bytes written to the caller's buffer (0 when undecryptable).</param>
/// <param name="DropReason">For an undecryptable JFrame: why the key did not open it.</param>
/// <param name="RatchetSteps">Ratchet steps the sender's key had advanced (a participant joined).</param>
/// <param name="KeySlot">The key slot a decrypted frame named (key index % 16); -1 otherwise.</param>
public readonly record struct AudioFrameResult(FrameDisposition Disposition, int BytesWritten, UndecryptableReason Reason, JFrameDropReason DropReason, int RatchetSteps, int KeySlot = -1);
