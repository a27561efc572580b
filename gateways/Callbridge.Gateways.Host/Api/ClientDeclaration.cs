using System.Text.Json;

namespace Callbridge.Gateways.Host.Api;

/// <summary>
/// <c>POST /api/v1/conferences/{id}/participants/{participantId}/client</c> body:
/// <c>{"userAgent": "Mozilla/5.0 ...", "displayName": "Ana"}</c>. The user agent is the one the participant's
/// browser or app sent to the service (an empty string when it sent none); the display name is optional.
/// </summary>
internal sealed record ClientDeclaration(string UserAgent, string? DisplayName)
{
    /// <summary>Real user agents stay under 512 characters; 1024 leaves room without storing arbitrary text.</summary>
    public const int MaxUserAgentLength = 1024;

    public const int MaxDisplayNameLength = 128;

    /// <summary>Participant ids are the SFU's or the platform's identifiers: short, printable.</summary>
    public const int MaxParticipantIdLength = 128;

    public static ClientDeclaration? Parse(string participantId, ReadOnlySpan<byte> body, out IResult? problem)
    {
        problem = null;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (participantId.Length > MaxParticipantIdLength || participantId.Any(char.IsControl))
            errors["participantId"] = [$"At most {MaxParticipantIdLength} printable characters."];
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException e)
        {
            problem = Problems.MalformedJson($"Line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}.");
            return null;
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = Problems.Validation(new() { [""] = ["The body must be a JSON object."] });
                return null;
            }
            JsonElement root = doc.RootElement;
            string? userAgent = null;
            string? displayName = null;
            if (!root.TryGetProperty("userAgent", out JsonElement ua) || ua.ValueKind == JsonValueKind.Null)
                errors["userAgent"] = ["Required: the User-Agent the participant's client sent (an empty string if it sent none)."];
            else if (ua.ValueKind != JsonValueKind.String)
                errors["userAgent"] = [$"Must be a string, not {ua.ValueKind.ToString().ToLowerInvariant()}."];
            else if ((userAgent = ua.GetString()!).Length > MaxUserAgentLength)
                errors["userAgent"] = [$"At most {MaxUserAgentLength} characters."];
            if (root.TryGetProperty("displayName", out JsonElement name) && name.ValueKind != JsonValueKind.Null)
            {
                if (name.ValueKind != JsonValueKind.String)
                    errors["displayName"] = [$"Must be a string, not {name.ValueKind.ToString().ToLowerInvariant()}."];
                else if ((displayName = name.GetString()!).Length is 0 or > MaxDisplayNameLength || displayName.Any(char.IsControl))
                    errors["displayName"] = [$"1 to {MaxDisplayNameLength} printable characters."];
            }
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (property.Name is not ("userAgent" or "displayName")) errors[property.Name] = ["Unknown field."];
            }
            if (errors.Count > 0)
            {
                problem = Problems.Validation(errors);
                return null;
            }
            return new ClientDeclaration(userAgent!, displayName);
        }
    }
}
