using System.Text.Json.Serialization;
using Callbridge.Gateways.Recording.Manifest;

namespace Callbridge.Gateways.Recording.Spool;

// snake_case and enums as strings: the spool and the manifest are read by people and by other tools.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(SpoolState))]
[JsonSerializable(typeof(RecordingManifest))]
internal sealed partial class RecordingJsonContext : JsonSerializerContext;
