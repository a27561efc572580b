using Callbridge.Conference;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Audit;

namespace Callbridge.Gateways.Host.Api;

/// <summary>The control API: start gateways (asking the negotiator first), read decisions, report E2EE toggles.</summary>
internal static class ControlApi
{
    private const string TenantItem = "callbridge.tenant";

    /// <summary>Largest start request body: the fields are short strings.</summary>
    private const int MaxBodyBytes = 16 * 1024;

    public static void MapControlApi(this IEndpointRouteBuilder app)
    {
        RouteGroupBuilder api = app.MapGroup("/api/v1").AddEndpointFilter(RequireApiKeyAsync).WithTags("control");

        api.MapPost("/conferences/{conferenceId}/gateways", StartGatewayAsync)
            .WithSummary("Start a gateway (recording, dial-out, captions) in a conference, if the negotiator allows it.")
            .Produces<GatewayStatus>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/conferences/{conferenceId}/decisions", (string conferenceId, IDecisionAuditLog audit) =>
                Results.Ok(audit.Query(conferenceId)))
            .WithSummary("Every negotiator decision recorded for a conference, oldest first.");

        api.MapPost("/conferences/{conferenceId}/e2ee", ReportE2eeToggleAsync)
            .WithSummary("The conferencing platform reports that the host turned E2EE on or off.");
    }

    private static async ValueTask<object?> RequireApiKeyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        string? key = http.Request.Headers["X-Api-Key"];
        if (string.IsNullOrEmpty(key)) return Problems.MissingApiKey();
        TenantEntry? tenant = http.RequestServices.GetRequiredService<TenantDirectory>().FindByApiKey(key);
        if (tenant is null) return Problems.UnknownApiKey();
        http.Items[TenantItem] = tenant;
        return await next(context).ConfigureAwait(false);
    }

    private static async Task<IResult> StartGatewayAsync(string conferenceId, HttpContext http, IConferenceConnector conferences,
        CapabilityNegotiator negotiator, ConferenceE2eeRegistry e2ee, IdempotencyStore idempotency, IEnumerable<IGatewayLauncher> launchers,
        CancellationToken ct)
    {
        var tenant = (TenantEntry)http.Items[TenantItem]!;
        byte[]? body = await ReadBodyAsync(http.Request, ct).ConfigureAwait(false);
        if (body is null) return Problems.Validation(new() { [""] = [$"The body must be at most {MaxBodyBytes} bytes."] });
        GatewayStartRequest? request = GatewayStartRequest.Parse(body, out IResult? invalid);
        if (request is null) return invalid!;

        string? idempotencyKey = http.Request.Headers["Idempotency-Key"];
        Func<Task<IResult>> start = () => StartAsync(tenant, conferenceId, request, conferences, negotiator, e2ee, launchers, ct);
        if (string.IsNullOrEmpty(idempotencyKey)) return await start().ConfigureAwait(false);
        return await idempotency.RunOnceAsync(tenant.Id, idempotencyKey, body, start).ConfigureAwait(false) ?? Problems.IdempotencyConflict();
    }

    private static async Task<IResult> StartAsync(TenantEntry tenant, string conferenceId, GatewayStartRequest request, IConferenceConnector conferences,
        CapabilityNegotiator negotiator, ConferenceE2eeRegistry e2ee, IEnumerable<IGatewayLauncher> launchers, CancellationToken ct)
    {
        // The room's policy comes from the SFU without joining: nothing connects before the decision.
        ConferenceProbe probe;
        try
        {
            probe = await conferences.ProbeAsync(conferenceId, ct).ConfigureAwait(false);
        }
        catch (ConferenceException e) when (e.Kind == ConferenceErrorKind.InvalidId)
        {
            return Problems.InvalidConferenceId(conferenceId, e.Message);
        }
        catch (ConferenceException e)
        {
            return Problems.SfuUnavailable(e.Message);
        }
        if (!probe.Exists) return Problems.ConferenceNotFound(conferenceId);

        string gatewayId = "gw-" + Guid.NewGuid().ToString("N")[..16];
        CapabilityDecision decision = negotiator.Decide(conferenceId, gatewayId, GatewayRequest.For(request.Kind, GatewayPhase.AboutToJoin),
            e2ee.Current(conferenceId, probe.RequiresE2ee), tenant.PolicyFor(request.Group));
        if (decision.Outcome != CapabilityOutcome.Allow) return Problems.Refused(decision, gatewayId);

        IGatewayLauncher? launcher = launchers.FirstOrDefault(l => l.Kind == request.Kind);
        if (launcher is null) return Problems.GatewayUnavailable(request.Kind);
        GatewayStatus status = await launcher.LaunchAsync(tenant.Id, conferenceId, gatewayId, request.Destination, ct).ConfigureAwait(false);
        return Results.Accepted($"/api/v1/conferences/{Uri.EscapeDataString(conferenceId)}/gateways/{gatewayId}", status);
    }

    private static async Task<IResult> ReportE2eeToggleAsync(string conferenceId, HttpContext http, ConferenceE2eeRegistry e2ee, TimeProvider time, CancellationToken ct)
    {
        byte[]? body = await ReadBodyAsync(http.Request, ct).ConfigureAwait(false);
        if (body is null) return Problems.Validation(new() { [""] = [$"The body must be at most {MaxBodyBytes} bytes."] });
        bool enabled;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(body);
            if (!doc.RootElement.TryGetProperty("enabled", out var value) || value.ValueKind is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
                return Problems.Validation(new() { ["enabled"] = ["Required: true or false."] });
            enabled = value.GetBoolean();
        }
        catch (System.Text.Json.JsonException e)
        {
            return Problems.MalformedJson(e.Message);
        }
        var state = e2ee.SetHostToggle(conferenceId, enabled, time.GetUtcNow());
        return Results.Ok(new { conferenceId, toggle = state.Toggle.ToString(), at = state.ToggledAt });
    }

    /// <summary>The whole body, or null when it is larger than <see cref="MaxBodyBytes"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[4096];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
