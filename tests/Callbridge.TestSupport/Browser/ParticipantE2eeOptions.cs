using System.Text.Json.Serialization;

namespace Callbridge.TestSupport.Browser;

/// <summary>RTCRtpScriptTransform worker and the key material passed to it.</summary>
public sealed class ParticipantE2eeOptions
{
    /// <summary>
    /// A JFrame sender transform that passes frames in clear until <see cref="BrowserParticipant.SetE2eeTransformAsync"/>
    /// turns it on: E2EE switched on mid-call on the same publication. It imports /files/jframe-transform.js
    /// (Callbridge.FrameCrypto's embedded transform), which the test copies into the site's files folder first.
    /// </summary>
    public const string JFrameToggleWorker = "/transforms/jframe-toggle-worker.js";

    [JsonPropertyName("module")]
    public required string Module { get; init; }

    [JsonPropertyName("options")]
    public IReadOnlyDictionary<string, object>? Options { get; init; }
}
