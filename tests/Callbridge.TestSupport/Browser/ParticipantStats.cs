using System.Text.Json.Serialization;

namespace Callbridge.TestSupport.Browser;

/// <summary>getStats() figures summed over a participant's PeerConnections.</summary>
public sealed class ParticipantStats
{
    [JsonPropertyName("audioIn")]
    public InboundAudioStats AudioIn { get; init; } = new();

    [JsonPropertyName("videoIn")]
    public InboundVideoStats VideoIn { get; init; } = new();

    [JsonPropertyName("out")]
    public OutboundStats Out { get; init; } = new();

    [JsonPropertyName("iceStates")]
    public IReadOnlyList<string> IceStates { get; init; } = [];

    [JsonPropertyName("remoteTracks")]
    public int RemoteTracks { get; init; }

    [JsonPropertyName("errors")]
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Frames each E2EE transform reported (keys "encrypt"/"decrypt"), when its worker posts <c>{operation, frames}</c>.</summary>
    [JsonPropertyName("transformedFrames")]
    public IReadOnlyDictionary<string, long> TransformedFrames { get; init; } = new Dictionary<string, long>();

    public override string ToString() =>
        $"audioIn packets={AudioIn.PacketsReceived} bytes={AudioIn.BytesReceived} energy={AudioIn.TotalAudioEnergy:G4} concealed={AudioIn.ConcealedSamples}/{AudioIn.TotalSamplesReceived}; " +
        $"videoIn packets={VideoIn.PacketsReceived} frames={VideoIn.FramesDecoded}; out packets={Out.PacketsSent}; ice=[{string.Join(',', IceStates)}]; tracks={RemoteTracks}; transformed=[{string.Join(',', TransformedFrames.Select(p => $"{p.Key}:{p.Value}"))}]; errors=[{string.Join("; ", Errors)}]";
}
