using Callbridge.TestSupport;
using Callbridge.TestSupport.Browser;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Callbridge.Gateways.Host.Tests.Console;

/// <summary>The host console page in headless Chromium (Debian's, through Playwright) against the host process and a real Janus.</summary>
[Collection(HostProcessCollection.Name)]
public sealed class HostConsolePageTests(ConsoleHostFixture host, BrowserFixture browser, ITestOutputHelper output)
{
    private const float Wait = 15_000;

    private async Task<IPage> OpenConsoleAsync(string name, long room)
    {
        BrowserParticipant tab = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = name });
        IPage page = tab.Page;
        IResponse? response = await page.GotoAsync(host.BaseUri.ToString());
        Assert.Equal(200, response!.Status);
        Assert.Equal("Callbridge host console", await page.TitleAsync());
        await page.GetByLabel("Tenant API key").FillAsync(ConsoleHostFixture.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        // The key is kept for the tab, not typed again, and the field is cleared.
        Assert.Equal(ConsoleHostFixture.Key, await page.EvaluateAsync<string>("() => sessionStorage.getItem('callbridge.apiKey')"));
        Assert.Equal("", await page.GetByLabel("Tenant API key").InputValueAsync());
        await page.GetByLabel("Conference id").FillAsync(room.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Open", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#stream-state")).ToContainTextAsync("Connected", new() { Timeout = Wait });
        return page;
    }

    private static string Shot(string name) => Path.Combine(TestEnvironment.NewFolder("host-console-screens"), name + ".png");

    [Fact]
    public Task Recording_and_captions_in_a_require_e2ee_room_show_the_room_policy_notice_and_the_client_side_alternative() => FailureLogs.RunAsync(output, async () =>
    {
        long room = await host.Janus.CreateRoomAsync(requireE2ee: true);
        IPage page = await OpenConsoleAsync("console-room-policy", room);
        ILocator indicator = page.Locator("#e2ee-indicator");
        await Assertions.Expect(indicator).ToHaveAttributeAsync("data-state", "on", new() { Timeout = Wait });
        await Assertions.Expect(indicator).ToContainTextAsync("required by the room policy");

        await page.GetByRole(AriaRole.Button, new() { Name = "Start recording" }).ClickAsync();
        ILocator recording = page.Locator("#notices li.notice[data-type=decision]").Filter(new() { HasText = "Recording refused" });
        await Assertions.Expect(recording).ToHaveCountAsync(1, new() { Timeout = Wait });
        await Assertions.Expect(recording.Locator(".reason-code")).ToHaveTextAsync("e2ee.room_policy");
        Assert.False(string.IsNullOrWhiteSpace(await recording.Locator(".host-message").TextContentAsync()));
        await Assertions.Expect(page.Locator("#last-result")).ToContainTextAsync("e2ee.room_policy");

        await page.GetByRole(AriaRole.Button, new() { Name = "Start captions" }).ClickAsync();
        ILocator captions = page.Locator("#notices li.notice[data-type=decision]").Filter(new() { HasText = "Captions refused" });
        await Assertions.Expect(captions).ToHaveCountAsync(1, new() { Timeout = Wait });
        await Assertions.Expect(captions.Locator(".reason-code")).ToHaveTextAsync("e2ee.room_policy");
        await Assertions.Expect(captions.Locator(".alternative-code")).ToHaveTextAsync("client_side_captions");
        string alternative = (await captions.Locator(".alternative").TextContentAsync())!;
        output.WriteLine("alternative: " + alternative);
        Assert.Contains("caption", alternative, StringComparison.OrdinalIgnoreCase);

        await page.GetByLabel("Number to call", new() { Exact = true }).FillAsync("+4930123456");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start dial-out" }).ClickAsync();
        ILocator dialOut = page.Locator("#notices li.notice[data-type=decision]").Filter(new() { HasText = "Dial-out refused" });
        await Assertions.Expect(dialOut).ToHaveCountAsync(1, new() { Timeout = Wait });
        await Assertions.Expect(dialOut.Locator(".reason-code")).ToHaveTextAsync("e2ee.room_policy");

        // Newest first, in the order the decisions were made.
        Assert.Equal(["3", "2", "1"], await page.Locator("#notices li.notice").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.id)"));
        string png = Shot("room-policy");
        await page.ScreenshotAsync(new() { Path = png, FullPage = true });
        output.WriteLine("screenshot: " + png);
    }, [.. host.LogSources, browser]);

    [Fact]
    public Task Turning_e2ee_on_from_the_page_then_starting_a_recording_in_a_plain_room_shows_enabled_by_host() => FailureLogs.RunAsync(output, async () =>
    {
        long room = await host.Janus.CreateRoomAsync();
        IPage page = await OpenConsoleAsync("console-host-toggle", room);
        ILocator indicator = page.Locator("#e2ee-indicator");
        await Assertions.Expect(indicator).ToHaveAttributeAsync("data-state", "off", new() { Timeout = Wait });

        await page.GetByRole(AriaRole.Button, new() { Name = "Turn E2EE on" }).ClickAsync();
        await Assertions.Expect(indicator).ToHaveAttributeAsync("data-state", "on", new() { Timeout = Wait });
        await Assertions.Expect(indicator).ToContainTextAsync("turned on by the host");
        await Assertions.Expect(page.Locator("#fact-toggle")).ToHaveTextAsync("turned on");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Turn E2EE on" })).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator("#notices li.notice[data-type=e2ee_impact]")).ToHaveCountAsync(1, new() { Timeout = Wait });

        await page.GetByRole(AriaRole.Button, new() { Name = "Start recording" }).ClickAsync();
        ILocator refusal = page.Locator("#notices li.notice[data-type=decision]");
        await Assertions.Expect(refusal).ToHaveCountAsync(1, new() { Timeout = Wait });
        await Assertions.Expect(refusal).ToHaveAttributeAsync("data-outcome", "Refuse");
        await Assertions.Expect(refusal.Locator(".reason-code")).ToHaveTextAsync("e2ee.enabled_by_host");
        string png = Shot("enabled-by-host");
        await page.ScreenshotAsync(new() { Path = png, FullPage = true });
        output.WriteLine("screenshot: " + png);

        // Off again: the same start is allowed by the negotiator, the recording gateway starts, and the allow
        // decision is noticed too.
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn E2EE off" }).ClickAsync();
        await Assertions.Expect(indicator).ToHaveAttributeAsync("data-state", "off", new() { Timeout = Wait });
        await page.GetByRole(AriaRole.Button, new() { Name = "Start recording" }).ClickAsync();
        ILocator allowed = page.Locator("#notices li.notice[data-type=decision][data-outcome=Allow]");
        await Assertions.Expect(allowed).ToHaveCountAsync(1, new() { Timeout = Wait });
        await Assertions.Expect(allowed.Locator(".reason-code")).ToHaveTextAsync("ok");
        await Assertions.Expect(page.Locator("#last-result")).ToContainTextAsync("Recording started");
    }, [.. host.LogSources, browser]);

    [Fact]
    public Task The_page_is_served_at_the_root_with_a_same_origin_content_security_policy() => FailureLogs.RunAsync(output, async () =>
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        using HttpResponseMessage page = await http.GetAsync(host.BaseUri);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"console.js\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        using HttpResponseMessage live = await http.GetAsync(new Uri(host.BaseUri, "health/live"));
        Assert.Equal(System.Net.HttpStatusCode.OK, live.StatusCode);
    }, host.LogSources.ToArray());
}
