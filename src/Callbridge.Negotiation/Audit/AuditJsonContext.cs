using System.Text.Json.Serialization;

namespace Callbridge.Negotiation.Audit;

// Enums as strings: the file is read by people and by tools that must not depend on enum ordinals.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    WriteIndented = false)]
[JsonSerializable(typeof(DecisionAuditEntry))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
