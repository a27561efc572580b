using System.Text.Json;
using System.Text.RegularExpressions;
using Callbridge.Negotiation;

namespace Callbridge.Gateways.Host.Api;

/// <summary>
/// <c>POST /api/v1/conferences/{id}/gateways</c> body: <c>{"kind":"recording"|"dial-out"|"captions",
/// "destination":"+4930123456" (dial-out only; "+4930123456;postd=ww1234#" also sends keys after answer),
/// "group":"sales" (optional, for group E2EE policy)}</c>.
/// </summary>
internal sealed partial record GatewayStartRequest(GatewayKind Kind, string? Destination, string? Group)
{
    /// <summary>The API's names for the kinds a client may start (dial-in starts from the phone, not the API).</summary>
    public static readonly IReadOnlyDictionary<string, GatewayKind> Kinds = new Dictionary<string, GatewayKind>(StringComparer.Ordinal)
    {
        ["recording"] = GatewayKind.Recording,
        ["dial-out"] = GatewayKind.PstnDialOut,
        ["captions"] = GatewayKind.ServerCaptions,
    };

    /// <summary>The API's name of a kind; kinds the API cannot start (dial-in, presence) by their enum name, lower-case.</summary>
    public static string ApiName(GatewayKind kind) => kind switch
    {
        GatewayKind.Recording => "recording",
        GatewayKind.PstnDialOut => "dial-out",
        GatewayKind.ServerCaptions => "captions",
        GatewayKind.PstnDialIn => "dial-in",
        _ => "presence",
    };

    /// <summary>Parses and validates; on failure returns the problem to answer with.</summary>
    public static GatewayStartRequest? Parse(ReadOnlySpan<byte> body, out IResult? problem)
    {
        problem = null;
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 8 });
        }
        catch (JsonException e)
        {
            problem = Problems.MalformedJson($"Line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {FirstSentence(e.Message)}");
            return null;
        }
        using (doc)
        {
            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = Problems.Validation(new() { [""] = ["The body must be a JSON object."] });
                return null;
            }
            JsonElement root = doc.RootElement;
            string? kindText = Text(root, "kind", errors);
            string? destination = Text(root, "destination", errors);
            string? group = Text(root, "group", errors);
            GatewayKind kind = default;
            if (kindText is null && !errors.ContainsKey("kind"))
                errors["kind"] = ["Required: one of " + string.Join(", ", Kinds.Keys) + "."];
            else if (kindText is not null && !Kinds.TryGetValue(kindText, out kind))
                errors["kind"] = [$"'{kindText}' is not a gateway kind; use one of " + string.Join(", ", Kinds.Keys) + "."];
            if (kind == GatewayKind.PstnDialOut && kindText is not null)
            {
                if (destination is null) errors["destination"] = ["Required for dial-out: the number to call, e.g. +4930123456."];
                else if (!PhoneNumber().IsMatch(destination)) errors["destination"] = ["Must be a phone number: optional '+', then 3 to 20 digits; optionally ';postd=' and 1 to 64 keys to send after answer (0-9 * # A-D, 'w' for a 0.5 s pause)."];
            }
            else if (destination is not null && !errors.ContainsKey("destination"))
            {
                errors["destination"] = ["Only dial-out takes a destination."];
            }
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (property.Name is not ("kind" or "destination" or "group")) errors[property.Name] = ["Unknown field."];
            }
            if (errors.Count > 0)
            {
                problem = Problems.Validation(errors);
                return null;
            }
            return new GatewayStartRequest(kind, destination, group);
        }
    }

    private static string? Text(JsonElement root, string name, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        errors[name] = [$"Must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}."];
        return null;
    }

    private static string FirstSentence(string message)
    {
        int end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }

    // RFC 3966's post-dial parameter carries keys for a remote IVR; the SIP bridge sends them after answer.
    [GeneratedRegex(@"^\+?[0-9]{3,20}(;postd=[0-9*#A-DwW]{1,64})?$")]
    private static partial Regex PhoneNumber();
}
