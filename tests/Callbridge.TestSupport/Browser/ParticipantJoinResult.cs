using System.Text.Json.Serialization;

namespace Callbridge.TestSupport.Browser;

/// <summary>What <c>cb.join</c> resolved with.</summary>
public sealed class ParticipantJoinResult
{
    [JsonPropertyName("ok")]
    public bool Ok { get; init; }

    [JsonPropertyName("id")]
    public long Id { get; init; }

    [JsonPropertyName("privateId")]
    public long PrivateId { get; init; }

    /// <summary>Janus or plugin error code when the join or publish failed (e.g. 433).</summary>
    [JsonPropertyName("errorCode")]
    public int ErrorCode { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}
