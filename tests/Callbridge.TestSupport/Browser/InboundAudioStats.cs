using System.Text.Json.Serialization;

namespace Callbridge.TestSupport.Browser;

public sealed class InboundAudioStats
{
    [JsonPropertyName("packetsReceived")]
    public long PacketsReceived { get; init; }

    [JsonPropertyName("bytesReceived")]
    public long BytesReceived { get; init; }

    [JsonPropertyName("totalAudioEnergy")]
    public double TotalAudioEnergy { get; init; }

    [JsonPropertyName("concealedSamples")]
    public long ConcealedSamples { get; init; }

    [JsonPropertyName("totalSamplesReceived")]
    public long TotalSamplesReceived { get; init; }
}
