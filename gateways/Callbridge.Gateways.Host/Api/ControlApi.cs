using Callbridge.Conference;
using Callbridge.Gateways.Host.Gateways;
using Callbridge.Gateways.Host.Notices;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Audit;
using Callbridge.Negotiation.Clients;
using Callbridge.Negotiation.Impact;
using Callbridge.Notices.Broadcast;
using Callbridge.Notices.Model;
using Callbridge.Notices.Sse;
using Callbridge.Notices.Webhooks;

namespace Callbridge.Gateways.Host.Api;

/// <summary>The control API: start gateways (asking the negotiator first), read decisions, report E2EE toggles,
/// follow a conference's notices (SSE) and its webhook deliveries.</summary>
internal static class ControlApi
{
    private const string TenantItem = "callbridge.tenant";

    /// <summary>Largest start request body: the fields are short strings.</summary>
    private const int MaxBodyBytes = 16 * 1024;

    /// <summary>The query parameter the notices stream also accepts the key in: a browser's EventSource
    /// cannot set headers. Only routes marked with <see cref="QueryApiKeyAllowed"/> read it.</summary>
    public const string AccessTokenParameter = "access_token";

    /// <summary>SSE keep-alive: below the 30 to 60 s idle timeouts of common proxies and load balancers.</summary>
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

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

        api.MapGet("/conferences/{conferenceId}/gateways", (string conferenceId, HttpContext http, GatewaySupervisor supervisor) =>
                Results.Ok(supervisor.In(Tenant(http).Id, conferenceId).Select(g => g.Status())))
            .WithSummary("The tenant's gateways in a conference, running and ended (with their outcome), oldest first.")
            .Produces<GatewayStatus[]>();

        api.MapGet("/conferences/{conferenceId}/gateways/{gatewayId}", (string conferenceId, string gatewayId, HttpContext http, GatewaySupervisor supervisor) =>
                supervisor.Find(Tenant(http).Id, conferenceId, gatewayId) is { } g ? Results.Ok(g.Status()) : Problems.GatewayNotFound(gatewayId))
            .WithSummary("One gateway's state; after it ended, its outcome (final state, reason code, summary, outputs).")
            .Produces<GatewayStatus>().ProducesProblem(StatusCodes.Status404NotFound);

        api.MapDelete("/conferences/{conferenceId}/gateways/{gatewayId}", StopGatewayAsync)
            .WithSummary("Stops a gateway: it leaves and finalizes its output. 200 with the final status; 202 while it is still joining.")
            .Produces<GatewayStatus>().Produces<GatewayStatus>(StatusCodes.Status202Accepted).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/conferences/{conferenceId}/e2ee/preview", PreviewE2eeAsync)
            .WithSummary("What turning E2EE on now would stop (running gateways) and whose clients cannot take part.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapPost("/conferences/{conferenceId}/participants/{participantId}/client", DeclareClientAsync)
            .WithSummary("The service's client declares the user agent a participant joined with; in an E2EE conference an " +
                "unsupported client is noticed to the host, naming the participant and the reason.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);

        api.MapGet("/conferences/{conferenceId}/decisions", (string conferenceId, IDecisionAuditLog audit) =>
                Results.Ok(audit.Query(conferenceId)))
            .WithSummary("Every negotiator decision recorded for a conference, oldest first.");

        api.MapPost("/conferences/{conferenceId}/e2ee", ReportE2eeToggleAsync)
            .WithSummary("The conferencing platform reports that the host turned E2EE on or off.");

        api.MapGet("/conferences/{conferenceId}", GetConferenceAsync)
            .WithSummary("The conference as the SFU reports it (exists, room E2EE policy, participants) with the host's E2EE toggle.")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        api.MapGet("/conferences/{conferenceId}/notices", StreamNoticesAsync)
            .WithMetadata(QueryApiKeyAllowed.Instance)
            .WithSummary("Server-sent events: the tenant's notices for this conference, resumable with Last-Event-ID. " +
                "The key may also be given as the access_token query parameter (for EventSource).")
            .Produces(StatusCodes.Status200OK, contentType: SseStreamWriter.ContentType);

        api.MapGet("/conferences/{conferenceId}/webhook-deliveries", (string conferenceId, HttpContext http, TenantNoticeDirectory notices) =>
            {
                TenantNotices channel = notices.For((TenantEntry)http.Items[TenantItem]!);
                return Results.Ok(new
                {
                    conferenceId,
                    webhookConfigured = channel.Webhooks is not null,
                    deliveries = channel.Deliveries.ForConference(conferenceId).Select(DeliveryView.From),
                });
            })
            .WithSummary("The webhook delivery log of this conference's notices: each attempt and the final state.");
    }

    /// <summary>Marks a route that accepts the API key as a query parameter as well as the header.</summary>
    internal sealed class QueryApiKeyAllowed
    {
        public static readonly QueryApiKeyAllowed Instance = new();
    }

    private static async ValueTask<object?> RequireApiKeyAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        HttpContext http = context.HttpContext;
        string? key = http.Request.Headers["X-Api-Key"];
        if (string.IsNullOrEmpty(key) && http.GetEndpoint()?.Metadata.GetMetadata<QueryApiKeyAllowed>() is not null)
            key = http.Request.Query[AccessTokenParameter];
        if (string.IsNullOrEmpty(key)) return Problems.MissingApiKey();
        TenantEntry? tenant = http.RequestServices.GetRequiredService<TenantDirectory>().FindByApiKey(key);
        if (tenant is null) return Problems.UnknownApiKey();
        http.Items[TenantItem] = tenant;
        return await next(context).ConfigureAwait(false);
    }

    private static async Task<IResult> StartGatewayAsync(string conferenceId, HttpContext http, IConferenceConnector conferences,
        CapabilityNegotiator negotiator, ConferenceE2eeRegistry e2ee, IdempotencyStore idempotency, GatewaySupervisor supervisor,
        TenantNoticeDirectory notices, TimeProvider time, CancellationToken ct)
    {
        var tenant = (TenantEntry)http.Items[TenantItem]!;
        byte[]? body = await ReadBodyAsync(http.Request, ct).ConfigureAwait(false);
        if (body is null) return Problems.Validation(new() { [""] = [$"The body must be at most {MaxBodyBytes} bytes."] });
        GatewayStartRequest? request = GatewayStartRequest.Parse(body, out IResult? invalid);
        if (request is null) return invalid!;

        string? idempotencyKey = http.Request.Headers["Idempotency-Key"];
        Func<Task<IResult>> start = () => StartAsync(tenant, conferenceId, request, conferences, negotiator, e2ee, supervisor, notices.For(tenant), time, ct);
        if (string.IsNullOrEmpty(idempotencyKey)) return await start().ConfigureAwait(false);
        return await idempotency.RunOnceAsync(tenant.Id, idempotencyKey, body, start).ConfigureAwait(false) ?? Problems.IdempotencyConflict();
    }

    private static async Task<IResult> StartAsync(TenantEntry tenant, string conferenceId, GatewayStartRequest request, IConferenceConnector conferences,
        CapabilityNegotiator negotiator, ConferenceE2eeRegistry e2ee, GatewaySupervisor supervisor, TenantNotices notices,
        TimeProvider time, CancellationToken ct)
    {
        // The room's policy comes from the SFU without joining: nothing connects before the decision.
        (ConferenceProbe? probe, IResult? unavailable) = await ProbeAsync(conferenceId, conferences, ct).ConfigureAwait(false);
        if (probe is null) return unavailable!;
        if (!probe.Exists) return Problems.ConferenceNotFound(conferenceId);

        string gatewayId = "gw-" + Guid.NewGuid().ToString("N")[..16];
        CapabilityDecision decision = negotiator.Decide(conferenceId, gatewayId, GatewayRequest.For(request.Kind, GatewayPhase.AboutToJoin),
            e2ee.Current(conferenceId, probe.RequiresE2ee), tenant.PolicyFor(request.Group));
        // Every decision is noticed, allows too: the console shows what happened to each button press.
        notices.Service.Publish(DecisionNotice.From(conferenceId, gatewayId, request.Kind, decision, time.GetUtcNow()));
        if (decision.Outcome != CapabilityOutcome.Allow) return Problems.Refused(decision, gatewayId);

        if (!supervisor.Supports(request.Kind)) return Problems.GatewayUnavailable(request.Kind);
        try
        {
            // The gateway's life is the supervisor's, not this request's: a client that goes away does not stop it.
            SupervisedGateway started = await supervisor.StartAsync(tenant, conferenceId, gatewayId, request.Kind, request.Destination).ConfigureAwait(false);
            return Results.Accepted($"/api/v1/conferences/{Uri.EscapeDataString(conferenceId)}/gateways/{gatewayId}", started.Status());
        }
        catch (Callbridge.Gateways.GatewayStartException e)
        {
            return Problems.GatewayStartFailed(e.Code, e.Message, gatewayId);
        }
    }

    private static async Task<IResult> ReportE2eeToggleAsync(string conferenceId, HttpContext http, ConferenceE2eeRegistry e2ee, TimeProvider time,
        TenantNoticeDirectory notices, GatewaySupervisor supervisor, ParticipantClientRegistry clients, CancellationToken ct)
    {
        var tenant = (TenantEntry)http.Items[TenantItem]!;
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
        DateTimeOffset now = time.GetUtcNow();
        TenantNotices channel = notices.For(tenant);
        if (enabled)
        {
            // The preview is computed on the state before the toggle, with the tenant's running gateways in the
            // conference and the participants' clients declared so far: what the notices below then confirm.
            E2eeImpactReport report = E2eeImpactPreview.Compute(e2ee.Known(conferenceId), tenant.PolicyFor(null),
                supervisor.Running(tenant.Id, conferenceId), clients.For(tenant.Id, conferenceId), now);
            channel.Service.ImpactPreviewed(conferenceId, report);
        }
        else
        {
            channel.Service.E2eeTurnedOff(conferenceId);
        }
        ConferenceE2eeRegistry.Change change = e2ee.SetHostToggle(conferenceId, enabled, now);
        // Running gateways are re-evaluated now: turning E2EE on orders each media gateway out.
        await supervisor.E2eeChangedAsync(conferenceId, change).ConfigureAwait(false);
        return Results.Ok(new { conferenceId, toggle = change.After.Toggle.ToString(), at = change.After.ToggledAt });
    }

    private static async Task<IResult> GetConferenceAsync(string conferenceId, IConferenceConnector conferences, ConferenceE2eeRegistry e2ee, CancellationToken ct)
    {
        (ConferenceProbe? probe, IResult? unavailable) = await ProbeAsync(conferenceId, conferences, ct).ConfigureAwait(false);
        if (probe is null) return unavailable!;
        ConferenceE2eeState state = e2ee.Current(conferenceId, probe.RequiresE2ee);
        return Results.Ok(new
        {
            conferenceId,
            exists = probe.Exists,
            requiresE2ee = probe.RequiresE2ee,
            participants = probe.ParticipantCount,
            description = probe.Description,
            hostToggle = state.Toggle.ToString(),
            toggledAt = state.ToggledAt,
            e2eeActive = state.AnySignal,
        });
    }

    /// <summary>Streams until the client goes away or the conference's broadcaster closes. The response is
    /// not buffered: each notice is flushed as it is written.</summary>
    private static async Task StreamNoticesAsync(string conferenceId, HttpContext http, TenantNoticeDirectory notices, TimeProvider time,
        IHostApplicationLifetime lifetime)
    {
        NoticeBroadcaster broadcaster = notices.For((TenantEntry)http.Items[TenantItem]!).Hub.For(conferenceId);
        long? lastEventId = SseStreamWriter.ParseLastEventId(http.Request.Headers["Last-Event-ID"]);
        http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseBodyFeature>()?.DisableBuffering();
        http.Response.ContentType = SseStreamWriter.ContentType;
        http.Response.Headers.CacheControl = "no-cache";
        // Tells a buffering reverse proxy (nginx) to pass events through as they come.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        using NoticeSubscription subscription = broadcaster.Subscribe(lastEventId);
        // Streams end when the host stops too: an open console must not hold shutdown for the drain timeout.
        using var end = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await SseStreamWriter.WriteAsync(subscription, http.Response.Body, time, KeepAlive, end.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (end.IsCancellationRequested)
        {
            // The client went away or the host is stopping: the normal end of an event stream (EventSource reconnects).
        }
    }

    private static TenantEntry Tenant(HttpContext http) => (TenantEntry)http.Items[TenantItem]!;

    private static async Task<IResult> StopGatewayAsync(string conferenceId, string gatewayId, HttpContext http, GatewaySupervisor supervisor)
    {
        SupervisedGateway? gateway = supervisor.Find(Tenant(http).Id, conferenceId, gatewayId);
        if (gateway is null) return Problems.GatewayNotFound(gatewayId);
        GatewayStatus status = await supervisor.StopAsync(gateway).ConfigureAwait(false);
        return gateway.IsLive ? Results.Accepted($"/api/v1/conferences/{Uri.EscapeDataString(conferenceId)}/gateways/{gatewayId}", status) : Results.Ok(status);
    }

    private static async Task<IResult> PreviewE2eeAsync(string conferenceId, HttpContext http, IConferenceConnector conferences, ConferenceE2eeRegistry e2ee,
        GatewaySupervisor supervisor, ParticipantClientRegistry clients, TimeProvider time, CancellationToken ct)
    {
        (ConferenceProbe? probe, IResult? unavailable) = await ProbeAsync(conferenceId, conferences, ct).ConfigureAwait(false);
        if (probe is null) return unavailable!;
        TenantEntry tenant = Tenant(http);
        ConferenceE2eeState state = e2ee.Current(conferenceId, probe.RequiresE2ee);
        E2eeImpactReport report = E2eeImpactPreview.Compute(state, tenant.PolicyFor(null), supervisor.Running(tenant.Id, conferenceId),
            clients.For(tenant.Id, conferenceId), time.GetUtcNow());
        return Results.Ok(new
        {
            conferenceId,
            e2eeActive = state.AnySignal,
            summary = report.Summary,
            consequences = report.Consequences,
            willStop = report.WillStop.Select(g => new { g.Gateway.GatewayId, g.Gateway.Label, kind = GatewayStartRequest.ApiName(g.Gateway.Kind), g.Decision.ReasonCode }),
            unaffected = report.Unaffected.Select(g => new { g.Gateway.GatewayId, g.Gateway.Label, kind = GatewayStartRequest.ApiName(g.Gateway.Kind) }),
            participants = report.ClientsThatCannotJoin.Concat(report.ClientsUnknown).Select(c => new
            {
                c.Participant.ParticipantId,
                c.Participant.DisplayName,
                support = c.Assessment.Support.ToString(),
                family = c.Assessment.Family.ToString(),
                reason = c.Assessment.Reason,
                c.HostMessage,
            }),
        });
    }

    private static async Task<IResult> DeclareClientAsync(string conferenceId, string participantId, HttpContext http, IConferenceConnector conferences,
        ConferenceE2eeRegistry e2ee, ParticipantClientRegistry clients, TenantNoticeDirectory notices, CancellationToken ct)
    {
        byte[]? body = await ReadBodyAsync(http.Request, ct).ConfigureAwait(false);
        if (body is null) return Problems.Validation(new() { [""] = [$"The body must be at most {MaxBodyBytes} bytes."] });
        ClientDeclaration? declaration = ClientDeclaration.Parse(participantId, body, out IResult? invalid);
        if (declaration is null) return invalid!;
        (ConferenceProbe? probe, IResult? unavailable) = await ProbeAsync(conferenceId, conferences, ct).ConfigureAwait(false);
        if (probe is null) return unavailable!;
        if (!probe.Exists) return Problems.ConferenceNotFound(conferenceId);

        TenantEntry tenant = Tenant(http);
        var participant = new ParticipantClient(participantId, declaration.DisplayName ?? participantId, declaration.UserAgent);
        if (!clients.Declare(tenant.Id, conferenceId, participant)) return Problems.TooManyParticipants(ParticipantClientRegistry.MaxPerConference);
        bool conferenceIsE2ee = e2ee.Current(conferenceId, probe.RequiresE2ee).AnySignal;
        ClientAssessment assessment = E2eeClientSupport.Classify(participant.UserAgent);
        UnsupportedClientFinding? finding = E2eeClientAdmission.Check(participant, conferenceIsE2ee);
        if (finding is not null) notices.For(tenant).Service.UnsupportedClient(conferenceId, finding);
        return Results.Ok(new
        {
            conferenceId,
            participantId,
            displayName = participant.DisplayName,
            family = assessment.Family.ToString(),
            support = assessment.Support.ToString(),
            reason = assessment.Reason,
            conferenceIsE2ee,
            noticed = finding is not null,
            hostMessage = finding?.HostMessage,
        });
    }

    /// <summary>What the SFU says of the conference, or the problem to answer when it cannot say.</summary>
    private static async Task<(ConferenceProbe? Probe, IResult? Problem)> ProbeAsync(string conferenceId, IConferenceConnector conferences, CancellationToken ct)
    {
        try
        {
            return (await conferences.ProbeAsync(conferenceId, ct).ConfigureAwait(false), null);
        }
        catch (ConferenceException e) when (e.Kind == ConferenceErrorKind.InvalidId)
        {
            return (null, Problems.InvalidConferenceId(conferenceId, e.Message));
        }
        catch (ConferenceException e)
        {
            return (null, Problems.SfuUnavailable(e.Message));
        }
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
