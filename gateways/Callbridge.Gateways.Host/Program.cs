using System.Text.Json;
using Callbridge.Conference;
using Callbridge.Gateways.Host.Api;
using Callbridge.Gateways.Host.Health;
using Callbridge.Gateways.Host.Janus;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Audit;
using Callbridge.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddOptions<JanusConnectionOptions>()
    .BindConfiguration(JanusConnectionOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddSingleton<JanusEndpoint>();
builder.Services.AddHostedService<EmbeddedJanusService>();
builder.Services.AddHttpClient("janus");
builder.Services.AddBlobStorage(builder.Environment.ContentRootPath);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<IConferenceConnector, DeferredJanusConnector>();
builder.Services.AddOptions<TenantOptions>()
    .BindConfiguration(TenantOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();
builder.Services.AddSingleton<TenantDirectory>();
builder.Services.AddSingleton<IdempotencyStore>();
builder.Services.AddSingleton<ConferenceE2eeRegistry>();
// Decisions are kept as JSON lines next to the other deliverables: an audit outlives the process.
builder.Services.AddSingleton<IDecisionAuditLog>(_ => new JsonLinesDecisionAuditLog(
    Path.Combine(builder.Environment.ContentRootPath, builder.Configuration["Callbridge:AuditLogPath"] ?? "data/audit/decisions.jsonl")));
builder.Services.AddSingleton<CapabilityNegotiator>();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks()
    .AddCheck<JanusHealthCheck>("janus", tags: ["ready"]);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapOpenApi();
app.MapControlApi();

// Liveness: the process serves requests. Readiness: its dependencies answer too.
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthAsync });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealthAsync });

app.MapGet("/", (JanusEndpoint janus, IBlobSink sink) => Results.Text(
    $"Callbridge gateway host\nJanus: {(janus.HttpUri.IsCompletedSuccessfully ? janus.HttpUri.Result : "starting")}\nStorage: {sink.Description}\nHealth: /health/ready\n"));

await app.RunAsync().ConfigureAwait(false);

static Task WriteHealthAsync(HttpContext context, HealthReport report)
{
    context.Response.ContentType = "application/json";
    return context.Response.WriteAsync(JsonSerializer.Serialize(new
    {
        status = report.Status.ToString(),
        checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
    }));
}

/// <summary>Entry point type, visible to the host's integration tests.</summary>
public partial class Program;
