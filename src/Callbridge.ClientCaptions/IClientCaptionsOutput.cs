using Callbridge.Captions;

namespace Callbridge.ClientCaptions;

/// <summary>What the participant sees: captions and the pipeline's notices, plus the module's own status lines.</summary>
public interface IClientCaptionsOutput : ICaptionListener
{
    /// <summary>One status sentence (joined, key added, stopped). Never carries key material.</summary>
    void Status(string line);

    /// <summary>A speaker's media cannot be decrypted with the keys given; said once per speaker.</summary>
    void CannotDecrypt(string participantId, string? displayName, string reason);
}
