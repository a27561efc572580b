using System.Text.Json.Serialization;

namespace Callbridge.Notices.Model;

// snake_case and string enums: the wire format is read by other languages and must not depend on ordinals.
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HostNotice))]
internal sealed partial class NoticeJsonContext : JsonSerializerContext;
