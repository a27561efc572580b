namespace Callbridge.Gateways;

/// <summary>Why a gateway could not start, with a stable code the control API turns into a problem type.</summary>
/// <param name="Code">Lower-case, hyphenated: "conference-not-found", "sfu-unavailable", "limit-reached", "destination-not-allowed", ...</param>
public sealed class GatewayStartException(string code, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Code { get; } = code;
}
