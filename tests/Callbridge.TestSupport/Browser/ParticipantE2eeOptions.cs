using System.Text.Json.Serialization;

namespace Callbridge.TestSupport.Browser;

/// <summary>RTCRtpScriptTransform worker and the key material passed to it.</summary>
public sealed class ParticipantE2eeOptions
{
    [JsonPropertyName("module")]
    public required string Module { get; init; }

    [JsonPropertyName("options")]
    public IReadOnlyDictionary<string, object>? Options { get; init; }
}
