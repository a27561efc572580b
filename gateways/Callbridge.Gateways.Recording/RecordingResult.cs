namespace Callbridge.Gateways.Recording;

/// <summary>What finishing a recording produced.</summary>
/// <param name="Outputs">Blob names in the order uploaded; the manifest is last.</param>
internal sealed record RecordingResult(string Summary, IReadOnlyList<string> Outputs, string ManifestBlob);
