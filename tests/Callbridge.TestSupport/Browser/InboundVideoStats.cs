using System.Text.Json.Serialization;

namespace Callbridge.TestSupport.Browser;

public sealed class InboundVideoStats
{
    [JsonPropertyName("packetsReceived")]
    public long PacketsReceived { get; init; }

    [JsonPropertyName("bytesReceived")]
    public long BytesReceived { get; init; }

    [JsonPropertyName("framesDecoded")]
    public long FramesDecoded { get; init; }
}
