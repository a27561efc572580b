using System.Globalization;
using Microsoft.Playwright;

namespace Callbridge.TestSupport.Browser;

/// <summary>
/// Playwright (its bundled node driver) driving Debian's /usr/bin/chromium (never a downloaded
/// browser), plus the static site with the participant page. Each participant is its own
/// Chromium process, because fake capture files are launch flags.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime, ILogSource
{
    private readonly List<BrowserParticipant> _participants = [];
    private IPlaywright? _playwright;
    private StaticSiteServer? _site;
    private string _folder = string.Empty;
    private int _launched;

    public string Name => "browser";

    public StaticSiteServer Site => _site ?? throw new InvalidOperationException("BrowserFixture not started");

    /// <summary>Served under /files/ by the site: drop worker modules or media here.</summary>
    public string FilesFolder => Site.FilesFolder;

    public IEnumerable<string> LogPaths
    {
        get
        {
            lock (_participants)
            {
                return _participants.SelectMany(p => p.LogPaths).ToArray();
            }
        }
    }

    public async Task InitializeAsync()
    {
        TestEnvironment.RequireNetns(nameof(BrowserFixture));
        RequiredPrograms.Require(RequiredPrograms.Chromium);
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _folder = TestEnvironment.NewFolder("browser");
        _site = await StaticSiteServer.StartAsync(
            TestEnvironment.TestIp,
            Path.Combine(TestEnvironment.ContentFolder, "wwwroot"),
            Path.Combine(_folder, "files")).ConfigureAwait(false);
        _playwright = await Playwright.CreateAsync().ConfigureAwait(false);
    }

    /// <summary>Launches a Chromium with fake media and opens the participant page.</summary>
    public async Task<BrowserParticipant> LaunchParticipantAsync(ParticipantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var playwright = _playwright ?? throw new InvalidOperationException("BrowserFixture not started");
        var n = Interlocked.Increment(ref _launched);
        var profile = Path.Combine(_folder, string.Create(CultureInfo.InvariantCulture, $"{options.Name}-{n}-profile"));
        var origin = Site.Origin.GetLeftPart(UriPartial.Authority);
        var args = new List<string>
        {
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--allow-loopback-in-peer-connection",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            // Remote audio must play without a user gesture, or energy stays 0.
            "--autoplay-policy=no-user-gesture-required",
            // Real host candidates (not mDNS names) for pages that never called getUserMedia.
            "--disable-features=WebRtcHideLocalIpsWithMdns",
            // getUserMedia and RTCRtpScriptTransform need a secure context; the site is plain HTTP on the namespace address.
            "--unsafely-treat-insecure-origin-as-secure=" + origin,
        };
        if (options.FakeAudioWav is not null)
        {
            args.Add("--use-file-for-fake-audio-capture=" + options.FakeAudioWav);
        }

        if (options.FakeVideoY4m is not null)
        {
            args.Add("--use-file-for-fake-video-capture=" + options.FakeVideoY4m);
        }

        args.AddRange(options.ExtraArgs);
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = RequiredPrograms.Chromium,
            Headless = true,
            Args = args,
            Timeout = 60_000,
        }).ConfigureAwait(false);
        var logPath = Path.Combine(_folder, string.Create(CultureInfo.InvariantCulture, $"{options.Name}-{n}.console.log"));
        var console = new StreamWriter(new FileStream(logPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync().ConfigureAwait(false);
        var participant = new BrowserParticipant(options.Name, context, page, logPath, console);
        page.Console += (_, m) => participant.WriteConsole($"[{m.Type}] {m.Text}");
        page.PageError += (_, e) => participant.WriteConsole($"[pageerror] {e}");
        page.RequestFailed += (_, r) => participant.WriteConsole($"[requestfailed] {r.Url} {r.Failure}");
        lock (_participants)
        {
            _participants.Add(participant);
        }

        await page.GotoAsync(Site.Url("participant.html?name=" + Uri.EscapeDataString(options.Name)).ToString()).ConfigureAwait(false);
        await page.WaitForFunctionAsync("() => window.cb !== undefined").ConfigureAwait(false);
        return participant;
    }

    public async Task DisposeAsync()
    {
        BrowserParticipant[] participants;
        lock (_participants)
        {
            participants = [.. _participants];
        }

        foreach (var p in participants)
        {
            await p.DisposeAsync().ConfigureAwait(false);
        }

        _playwright?.Dispose();
        if (_site is not null)
        {
            await _site.DisposeAsync().ConfigureAwait(false);
        }
    }
}
