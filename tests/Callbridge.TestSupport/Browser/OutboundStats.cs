using System.Text.Json.Serialization;

namespace Callbridge.TestSupport.Browser;

public sealed class OutboundStats
{
    [JsonPropertyName("packetsSent")]
    public long PacketsSent { get; init; }

    [JsonPropertyName("bytesSent")]
    public long BytesSent { get; init; }
}
