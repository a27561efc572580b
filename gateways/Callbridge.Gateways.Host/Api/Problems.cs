using Callbridge.Negotiation;

namespace Callbridge.Gateways.Host.Api;

/// <summary>
/// Every error the control API returns, as RFC 9457 problem details with a stable <c>type</c> URI per
/// problem. Clients branch on <c>type</c> (and, for refusals, <c>reasonCode</c>), never on the wording.
/// </summary>
internal static class Problems
{
    private const string Base = "urn:callbridge:problem:";

    public static IResult MissingApiKey() => Problem(StatusCodes.Status401Unauthorized, "api-key-missing",
        "An API key is required.", "Send the tenant's key in the X-Api-Key header.");

    public static IResult UnknownApiKey() => Problem(StatusCodes.Status401Unauthorized, "api-key-unknown",
        "The API key is not valid.", "No tenant has this key; check for a revoked or mistyped key.");

    public static IResult ConferenceNotFound(string conferenceId) => Problem(StatusCodes.Status404NotFound, "conference-not-found",
        "No such conference.", $"The SFU has no conference '{conferenceId}'.");

    public static IResult InvalidConferenceId(string conferenceId, string why) => Problem(StatusCodes.Status400BadRequest, "conference-id-invalid",
        "The conference id is not valid.", why, new() { ["errors"] = new Dictionary<string, string[]> { ["conferenceId"] = [why] } });

    public static IResult SfuUnavailable(string detail) => Problem(StatusCodes.Status503ServiceUnavailable, "sfu-unavailable",
        "The SFU cannot be reached.", detail);

    public static IResult MalformedJson(string detail) => Problem(StatusCodes.Status400BadRequest, "malformed-json",
        "The request body is not valid JSON.", detail);

    public static IResult Validation(Dictionary<string, string[]> errors) => Problem(StatusCodes.Status400BadRequest, "validation",
        "The request has invalid fields.", "See 'errors': each names a field and what is wrong with it.", new() { ["errors"] = errors });

    public static IResult IdempotencyConflict() => Problem(StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused",
        "The Idempotency-Key was already used for a different request.",
        "Reuse a key only to retry the identical request; use a new key for a new request.");

    public static IResult GatewayUnavailable(GatewayKind kind) => Problem(StatusCodes.Status503ServiceUnavailable, "gateway-unavailable",
        "This gateway is not available on this host.", $"No {kind} gateway is installed on this host; the negotiator allowed the start, nothing was joined.");

    public static IResult GatewayNotFound(string gatewayId) => Problem(StatusCodes.Status404NotFound, "gateway-not-found",
        "No such gateway.", $"No gateway '{gatewayId}' in this conference for this tenant.");

    /// <summary>
    /// Allowed, but the gateway could not start. The gateway's own code travels as <c>startCode</c>; the codes the
    /// API already has a problem type for keep it (conference-not-found 404, sfu-unavailable 503).
    /// </summary>
    public static IResult GatewayStartFailed(string code, string message, string gatewayId)
    {
        var extensions = new Dictionary<string, object?> { ["startCode"] = code, ["gatewayId"] = gatewayId };
        return code switch
        {
            "conference-not-found" => Problem(StatusCodes.Status404NotFound, "conference-not-found", "No such conference.", message, extensions),
            "sfu-unavailable" => Problem(StatusCodes.Status503ServiceUnavailable, "sfu-unavailable", "The SFU cannot be reached.", message, extensions),
            "host-stopping" => Problem(StatusCodes.Status503ServiceUnavailable, "host-stopping", "The host is shutting down.", message, extensions),
            "destination-not-allowed" => Problem(StatusCodes.Status400BadRequest, "validation", "The request has invalid fields.", message,
                new() { ["startCode"] = code, ["gatewayId"] = gatewayId, ["errors"] = new Dictionary<string, string[]> { ["destination"] = [message] } }),
            _ => Problem(StatusCodes.Status502BadGateway, "gateway-start-failed", "The gateway could not start.", message, extensions),
        };
    }

    public static IResult TooManyParticipants(int limit) => Problem(StatusCodes.Status409Conflict, "participants-limit",
        "Too many participants declared in this conference.", $"At most {limit} participants' clients are kept per conference.");

    /// <summary>The negotiator said no: the reason code, the host's words and the alternative travel with it.</summary>
    public static IResult Refused(CapabilityDecision decision, string decisionId)
    {
        int status = decision.ReasonCode == ReasonCodes.TenantFeatureDisabled ? StatusCodes.Status403Forbidden : StatusCodes.Status409Conflict;
        var extensions = new Dictionary<string, object?>
        {
            ["reasonCode"] = decision.ReasonCode,
            ["decisionId"] = decisionId,
            ["alternative"] = decision.Alternative is null ? null : new
            {
                code = decision.Alternative.Code,
                description = decision.Alternative.Description,
                providedByService = decision.Alternative.ProvidedByService,
            },
        };
        return Problem(status, "capability-refused", "The gateway may not join this conference.", decision.HostMessage, extensions);
    }

    private static IResult Problem(int status, string type, string title, string detail, Dictionary<string, object?>? extensions = null) =>
        Results.Problem(detail: detail, statusCode: status, title: title, type: Base + type, extensions: extensions);
}
