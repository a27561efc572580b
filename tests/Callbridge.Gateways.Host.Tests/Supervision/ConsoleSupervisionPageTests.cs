using Callbridge.TestSupport;
using Callbridge.TestSupport.Browser;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Callbridge.Gateways.Host.Tests.Supervision;

/// <summary>The console page in headless Chromium against the host with stand-in gateways: the gateways table with
/// states and why they stopped, the impact preview with the running gateways and the participants' clients, and
/// the live captions view fed by the SSE stream.</summary>
public sealed class ConsoleSupervisionPageTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private const float Wait = 15_000;

    [Fact]
    public Task The_page_previews_what_stops_shows_unsupported_clients_live_captions_and_why_a_gateway_stopped() => FailureLogs.RunAsync(output, async () =>
    {
        await using var host = new SupervisorHost(output, kestrel: true);
        host.Rooms.Add("2001");
        string recording = await host.StartAsync("2001", """{"kind":"recording"}""");
        await host.StartAsync("2001", """{"kind":"dial-out","destination":"+15550100"}""");
        await host.StartAsync("2001", """{"kind":"dial-out","destination":"+15550101"}""");
        string captions = await host.StartAsync("2001", """{"kind":"captions"}""");
        await host.SendAsync(HttpMethod.Post, "/api/v1/conferences/2001/participants/p-ben/client",
            """{"userAgent":"Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko","displayName":"Ben"}""");

        BrowserParticipant tab = await browser.LaunchParticipantAsync(new ParticipantOptions { Name = "console-supervision" });
        IPage page = tab.Page;
        await page.GotoAsync(host.BaseUri!.ToString());
        await page.GetByLabel("Tenant API key").FillAsync(SupervisorHost.Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        await page.GetByLabel("Conference id").FillAsync("2001");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#stream-state")).ToContainTextAsync("Connected", new() { Timeout = Wait });

        // Before E2EE is turned on: what the running gateways would lose, and whose client cannot take part.
        await Assertions.Expect(page.Locator("#preview-consequences li")).ToHaveTextAsync(
            ["the recording will stop", "2 phone callers will be disconnected", "server captions will stop"], new() { Timeout = Wait });
        ILocator ben = page.Locator("#preview-clients li[data-participant=p-ben]");
        await Assertions.Expect(ben).ToContainTextAsync("Ben");
        await Assertions.Expect(ben).ToContainTextAsync("Internet Explorer");
        await Assertions.Expect(page.Locator("#gateway-rows tr")).ToHaveCountAsync(4, new() { Timeout = Wait });

        // Live captions from the stream: the partial is replaced by the final of the same utterance.
        StandInGateway bot = host.Captions.Single(captions);
        bot.Caption(new CaptionUpdate("p-ana", "Ana", "u-1", "shall we", false, TimeSpan.Zero, TimeSpan.FromSeconds(0.6), null));
        ILocator line = page.Locator("#captions li[data-utterance=u-1]");
        await Assertions.Expect(line).ToHaveAttributeAsync("data-final", "false", new() { Timeout = Wait });
        bot.Caption(new CaptionUpdate("p-ana", "Ana", "u-1", "shall we start the review", true, TimeSpan.Zero, TimeSpan.FromSeconds(1.4), 0.9));
        await Assertions.Expect(line).ToHaveAttributeAsync("data-final", "true", new() { Timeout = Wait });
        await Assertions.Expect(line).ToHaveTextAsync("Ana:shall we start the review");
        await Assertions.Expect(page.Locator("#captions li")).ToHaveCountAsync(1);

        // Stopping from the page: the row says it stopped and why, with its outputs.
        ILocator row = page.Locator($"#gateway-rows tr[data-gateway-id='{recording}']");
        await row.GetByRole(AriaRole.Button, new() { Name = "Stop Recording" }).ClickAsync();
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "Stopped", new() { Timeout = Wait });
        await Assertions.Expect(row.Locator(".reason-words")).ToHaveTextAsync("Stopped through the API.");
        await Assertions.Expect(row.Locator(".outputs li")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#preview-consequences li")).ToHaveTextAsync(
            ["2 phone callers will be disconnected", "server captions will stop"], new() { Timeout = Wait });

        // Turning E2EE on from the page: the rest leave with the host's reason, shown in words and code.
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn E2EE on" }).ClickAsync();
        ILocator left = page.Locator("#gateway-rows tr[data-state=LeftForE2ee]");
        await Assertions.Expect(left).ToHaveCountAsync(3, new() { Timeout = Wait });
        await Assertions.Expect(left.First.Locator(".reason-code")).ToHaveTextAsync("e2ee.enabled_mid_call");
        await Assertions.Expect(left.First.Locator(".reason-words")).ToContainTextAsync("end-to-end encryption was turned on");
        await Assertions.Expect(page.Locator("#notices li.notice[data-type=unsupported_client][data-participant=p-ben]")).ToHaveCountAsync(1, new() { Timeout = Wait });
        string png = Path.Combine(TestEnvironment.NewFolder("host-console-screens"), "supervision.png");
        await page.ScreenshotAsync(new() { Path = png, FullPage = true });
        output.WriteLine("screenshot: " + png);
    }, browser);
}
