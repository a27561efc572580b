using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace Callbridge.TestSupport.Browser;

/// <summary>
/// Kestrel serving the participant page (/participant.html, /participant.js), Debian's janus.js and
/// adapter.js under /lib/, and a folder tests may fill (E2EE worker modules, ...) under /files/.
/// </summary>
public sealed class StaticSiteServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StaticSiteServer(WebApplication app, Uri origin, string filesFolder)
    {
        _app = app;
        Origin = origin;
        FilesFolder = filesFolder;
    }

    /// <summary>e.g. http://198.18.0.1:41234 (no trailing slash in <see cref="Uri.ToString"/> use: see <see cref="Url"/>).</summary>
    public Uri Origin { get; }

    /// <summary>Served as /files/.</summary>
    public string FilesFolder { get; }

    public Uri Url(string path) => new(Origin, path);

    public static async Task<StaticSiteServer> StartAsync(IPAddress address, string wwwroot, string filesFolder)
    {
        RequiredPrograms.Require(RequiredPrograms.JanusJs);
        RequiredPrograms.Require(RequiredPrograms.AdapterJs);
        Directory.CreateDirectory(filesFolder);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(address, 0));
        var app = builder.Build();
        var types = new FileExtensionContentTypeProvider();
        types.Mappings[".mjs"] = "text/javascript";
        // Fresh copies on every load: the browser must never run a stale participant.js.
        app.Use(async (context, next) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            await next(context).ConfigureAwait(false);
        });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(wwwroot), ContentTypeProvider = types });
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(filesFolder), RequestPath = "/files", ContentTypeProvider = types, ServeUnknownFileTypes = true });
        app.MapGet("/favicon.ico", () => Results.NoContent());
        app.MapGet("/lib/janus.js", () => Results.File(RequiredPrograms.JanusJs, "text/javascript"));
        app.MapGet("/lib/adapter.js", () => Results.File(RequiredPrograms.AdapterJs, "text/javascript"));
        await app.StartAsync().ConfigureAwait(false);
        var bound = app.Urls.First();
        var port = new Uri(bound).Port;
        var host = address.ToString();
        return new StaticSiteServer(app, new Uri($"http://{host}:{port}/"), filesFolder);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
