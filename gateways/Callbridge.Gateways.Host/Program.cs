using System.Text.Json;
using Callbridge.Conference;
using Callbridge.Gateways.Captions;
using Callbridge.Gateways.Host.Api;
using Callbridge.Gateways.Recording;
using Callbridge.Gateways.Host.Gateways;
using Callbridge.Gateways.Host.Health;
using Callbridge.Gateways.Host.Janus;
using Callbridge.Gateways.Host.Notices;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Audit;
using Callbridge.Storage;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.FileProviders;

var builder = WebApplication.CreateBuilder(args);

// The request-line log carries the query string, and the notices stream accepts the API key there
// (access_token): that logger never goes below Warning, whatever the settings say.
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", level => level >= LogLevel.Warning);

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
builder.Services.AddSingleton<IDecisionAuditLog>(_ =>
{
    string auditPath = Path.Combine(builder.Environment.ContentRootPath, builder.Configuration["Callbridge:AuditLogPath"] ?? "data/audit/decisions.jsonl");
    Directory.CreateDirectory(Path.GetDirectoryName(auditPath)!);
    return new JsonLinesDecisionAuditLog(auditPath);
});
builder.Services.AddSingleton<CapabilityNegotiator>();
builder.Services.AddHttpClient(TenantNoticeDirectory.WebhookClientName)
    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
builder.Services.AddSingleton<TenantNoticeDirectory>();
builder.Services.AddSingleton<ParticipantClientRegistry>();
builder.Services.AddOptions<GatewaySupervisorOptions>()
    .BindConfiguration(GatewaySupervisorOptions.SectionName)
    .ValidateDataAnnotations()
    .ValidateOnStart();
// Gateways come from IGatewayFactory registrations (one per kind: recording, captions, phone bridge). The supervisor is
// registered after the embedded Janus service, so on shutdown it stops every gateway before Janus goes away.
builder.Services.AddSingleton<GatewaySupervisor>();
// The three gateways, each with its own validated settings section.
builder.Services.AddRecordingGateway(builder.Configuration.GetSection(RecordingOptions.SectionName));
builder.Services.AddCaptionsGateway(builder.Configuration.GetSection(CaptionsOptions.SectionName));
builder.Services.AddSipBridge(builder.Configuration.GetSection("Callbridge:SipBridge"));
// The host waits for the supervisor's graceful stop: its grace plus the settle and Janus's own stop (15 s).
builder.Services.AddOptions<HostOptions>().Configure<Microsoft.Extensions.Options.IOptions<GatewaySupervisorOptions>>((host, gateways) =>
{
    TimeSpan needed = gateways.Value.ShutdownGrace + TimeSpan.FromSeconds(15);
    if (host.ShutdownTimeout < needed) host.ShutdownTimeout = needed;
});
builder.Services.AddHostedService(sp => sp.GetRequiredService<GatewaySupervisor>());
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddHealthChecks()
    .AddCheck<JanusHealthCheck>("janus", tags: ["ready"]);

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();

// The host console: static files of our own, same-origin only. They are copied next to the assembly so any
// content root serves them; the content root's wwwroot is the fallback (e.g. a host embedded in another app).
string consoleRoot = Path.Combine(AppContext.BaseDirectory, "wwwroot");
IFileProvider console = Directory.Exists(consoleRoot) ? new PhysicalFileProvider(consoleRoot) : app.Environment.WebRootFileProvider;
app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = console });
app.UseStaticFiles(new StaticFileOptions
{
    FileProvider = console,
    OnPrepareResponse = file =>
    {
        file.Context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
        file.Context.Response.Headers.XContentTypeOptions = "nosniff";
        file.Context.Response.Headers["Referrer-Policy"] = "no-referrer";
    },
});
app.MapOpenApi();
app.MapControlApi();

// Liveness: the process serves requests. Readiness: its dependencies answer too.
app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteHealthAsync });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealthAsync });

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
