using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Callbridge.Conference;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.Negotiation;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Browser;
using Callbridge.TestSupport.Janus;
using Callbridge.TestSupport.Media;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Callbridge.Gateways.Host.Tests.Supervision;

/// <summary>
/// The proofs with real components: a real Janus, a Chromium publisher, the host on a real Kestrel socket with
/// its real conference connector, and stand-in gateways that subscribe through the real <see cref="IConferenceSession"/>.
/// </summary>
public sealed class LeaveNowEndToEndTests : IClassFixture<JanusFixture>, IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Key = "end-to-end-tenant-key-0123456789";

    // Fixed 32-byte JFrame key material (slot 3), as the media core's own browser test uses.
    private const string KeyMaterialHex = "0f1e2d3c4b5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0";

    private readonly JanusFixture _janus;
    private readonly BrowserFixture _browser;
    private readonly ITestOutputHelper _output;
    private WebApplicationFactory<Program> _factory = null!;
    private Uri _hostUri = null!;
    private HttpClient _http = null!;
    private readonly Dictionary<GatewayKind, ConferenceStandInFactory> _gateways = [];

    public LeaveNowEndToEndTests(JanusFixture janus, BrowserFixture browser, ITestOutputHelper output)
    {
        _janus = janus;
        _browser = browser;
        _output = output;
    }

    public Task InitializeAsync()
    {
        string data = TestEnvironment.NewFolder("leave-now-e2e");
        int port = FreeTcpPort();
        _hostUri = new Uri($"http://127.0.0.1:{port}/");
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseTestHost(_janus.HttpUri.ToString(), data).UseTenant(0, "e2e-tenant", Key);
            b.UseSetting("Callbridge:Janus:GatewayIce:Interfaces:0", TestEnvironment.TestInterface);
            b.UseSetting("Callbridge:Janus:GatewayIce:Addresses:0", TestEnvironment.TestIp.ToString());
            b.UseSetting("Callbridge:Janus:GatewayIce:EnableIPv6", "false");
            b.ConfigureTestServices(services =>
            {
                services.RemoveAll<IGatewayFactory>();
                foreach (GatewayKind kind in new[] { GatewayKind.Recording, GatewayKind.ServerCaptions, GatewayKind.PstnDialOut })
                {
                    services.AddSingleton<IGatewayFactory>(sp =>
                    {
                        var factory = new ConferenceStandInFactory(kind, sp.GetRequiredService<IConferenceConnector>());
                        lock (_gateways) _gateways[kind] = factory;
                        return factory;
                    });
                }
            });
        });
        _factory.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        _factory.StartServer();
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = _hostUri };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _factory.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Api-Key", Key);
        using HttpResponseMessage response = await _http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        _output.WriteLine($"POST {path} {json} -> {(int)response.StatusCode} {text}");
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private ConferenceStandInFactory Gateways(GatewayKind kind)
    {
        lock (_gateways) return _gateways[kind];
    }

    [Theory]
    [InlineData("""{"kind":"recording"}""", GatewayKind.Recording)]
    [InlineData("""{"kind":"captions"}""", GatewayKind.ServerCaptions)]
    [InlineData("""{"kind":"dial-out","destination":"+4930123456"}""", GatewayKind.PstnDialOut)]
    public Task A_require_e2ee_room_refuses_each_installed_kind_before_any_media_connection(string body, GatewayKind kind) => FailureLogs.RunAsync(_output, async () =>
    {
        long room = await _janus.CreateRoomAsync(requireE2ee: true);
        var (status, problem) = await PostAsync($"/api/v1/conferences/{room}/gateways", body);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(ReasonCodes.RoomPolicy, problem.GetProperty("reasonCode").GetString());
        // The gateway is installed, yet its factory was never asked and nothing joined the room.
        Assert.Empty(Gateways(kind).Started);
        Assert.Empty(await _janus.Rooms.ListParticipantsAsync(room));
    }, _janus);

    [Fact]
    public Task A_running_gateway_is_ordered_out_within_3_s_of_the_first_encrypted_frame_and_the_host_page_shows_why() => FailureLogs.RunAsync(_output, async () =>
    {
        long room = await _janus.CreateRoomAsync();
        string roomId = room.ToString(CultureInfo.InvariantCulture);
        string worker = await ServeToggleWorkerAsync();

        // A Chromium publisher whose sender transform passes frames in clear until it is turned on.
        string media = TestEnvironment.NewFolder("leave-now-media");
        string speech = await SpeechSynth.WriteWavAsync("The recording may run until someone turns encryption on.", FliteVoice.Slt, SpeechSynth.WebRtcRate, media);
        await using BrowserParticipant publisher = await _browser.LaunchParticipantAsync(new ParticipantOptions { Name = "e2ee-publisher", FakeAudioWav = speech });
        ParticipantJoinResult joined = await publisher.JoinAsync(new ParticipantJoinOptions
        {
            Server = _janus.HttpUri.ToString(),
            Room = room,
            Display = "Publisher",
            PublishAudio = true,
            PublishVideo = true,
            E2ee = new ParticipantE2eeOptions
            {
                Module = worker,
                Options = new Dictionary<string, object> { ["keys"] = new Dictionary<string, string> { ["3"] = KeyMaterialHex }, ["currentIndex"] = 3 },
            },
        });
        Assert.True(joined.Ok, joined.Error);

        // The host's console, open on the conference.
        await using BrowserParticipant consoleTab = await _browser.LaunchParticipantAsync(new ParticipantOptions { Name = "host-console" });
        IPage page = consoleTab.Page;
        await page.GotoAsync(_hostUri.ToString());
        await page.GetByLabel("Tenant API key").FillAsync(Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Use key" }).ClickAsync();
        await page.GetByLabel("Conference id").FillAsync(roomId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Open", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#stream-state")).ToContainTextAsync("Connected", new() { Timeout = 15_000 });

        // The negotiator allows the recording (nothing says E2EE yet); the stand-in joins and takes clear media.
        var (started, status) = await PostAsync($"/api/v1/conferences/{roomId}/gateways", """{"kind":"recording"}""");
        Assert.Equal(HttpStatusCode.Accepted, started);
        string gatewayId = status.GetProperty("gatewayId").GetString()!;
        ConferenceStandInGateway gateway = Gateways(GatewayKind.Recording).Started.Single(g => g.GatewayId == gatewayId);
        await WaitUntilAsync(() => gateway.ClearFrames >= 50, TimeSpan.FromSeconds(20), "50 clear frames at the gateway");
        ILocator row = page.Locator($"#gateway-rows tr[data-gateway-id='{gatewayId}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "Running", new() { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("#preview-consequences")).ToContainTextAsync("the recording will stop", new() { Timeout = 15_000 });
        Assert.Empty(gateway.EncryptedVerdicts);

        // The publisher turns its E2EE transform on.
        await publisher.SetE2eeTransformAsync(enabled: true);
        (var order, DateTimeOffset orderedAt) = await gateway.OrderReceived.Task.WaitAsync(TimeSpan.FromSeconds(15));
        long firstEncryptedMs = await WaitForFirstEncryptedAsync(publisher);
        DateTimeOffset firstEncrypted = DateTimeOffset.FromUnixTimeMilliseconds(firstEncryptedMs);
        TimeSpan sinceSent = orderedAt - firstEncrypted;
        TimeSpan sinceArrived = orderedAt - (gateway.FirstFlaggedFrameAt ?? orderedAt);
        _output.WriteLine($"leave-now {sinceSent.TotalMilliseconds:F0} ms after the publisher sent its first encrypted frame, " +
            $"{sinceArrived.TotalMilliseconds:F0} ms after the gateway got the first flagged frame; verdicts: " +
            string.Join(", ", gateway.EncryptedVerdicts.Select(v => $"{v.TrackId} {v.Format} at +{(v.At - firstEncrypted).TotalMilliseconds:F0} ms")));
        Assert.Equal(ReasonCodes.FramesObserved, order.Decision.ReasonCode);
        Assert.True(sinceSent <= TimeSpan.FromSeconds(3), $"leave-now came {sinceSent.TotalSeconds:F2} s after the first encrypted frame");
        Assert.True(sinceSent > TimeSpan.Zero, "the order came before any encrypted frame was sent");
        Assert.Contains(gateway.EncryptedVerdicts, v => v.Format == "jframe");

        // The page shows why: the reason in words and its code, in the gateways table and in the notices.
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "LeftForE2ee", new() { Timeout = 15_000 });
        await Assertions.Expect(row.Locator(".reason-code")).ToHaveTextAsync(ReasonCodes.FramesObserved);
        await Assertions.Expect(row.Locator(".reason-words")).ToContainTextAsync("end-to-end encrypted media was detected");
        await Assertions.Expect(row.Locator(".state")).ToContainTextAsync("Left for E2EE");
        ILocator orderNotice = page.Locator("#notices li.notice[data-type=decision][data-outcome=LeaveNow]");
        await Assertions.Expect(orderNotice).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(orderNotice.Locator(".reason-code")).ToHaveTextAsync(ReasonCodes.FramesObserved);
        await Assertions.Expect(page.Locator("#e2ee-indicator")).ToHaveAttributeAsync("data-state", "on", new() { Timeout = 15_000 });
        string png = Path.Combine(TestEnvironment.NewFolder("host-console-screens"), "leave-now-frames-observed.png");
        await page.ScreenshotAsync(new() { Path = png, FullPage = true });
        _output.WriteLine("screenshot: " + png);

        // Nothing after the order was taken as media, and the stand-in left the room.
        JsonElement final = JsonDocument.Parse(await GetAsync($"/api/v1/conferences/{roomId}/gateways/{gatewayId}")).RootElement;
        Assert.Equal("LeftForE2ee", final.GetProperty("outcome").GetProperty("finalState").GetString());
        _output.WriteLine($"clear frames {gateway.ClearFrames}, flagged {gateway.FlaggedFrames}, after the order {gateway.FramesAfterOrder}");
        await WaitUntilAsync(async () => (await _janus.Rooms.ListParticipantsAsync(room)).Count == 1, TimeSpan.FromSeconds(10), "only the publisher left in the room");
    }, _janus, _browser);

    private async Task<string> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", Key);
        using HttpResponseMessage response = await _http.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<long> WaitForFirstEncryptedAsync(BrowserParticipant publisher)
    {
        for (int i = 0; i < 100; i++)
        {
            long at = await publisher.Page.EvaluateAsync<long>("() => window.cb.transformedFrames['first-encrypted'] || 0");
            if (at > 0) return at;
            await Task.Delay(50);
        }
        throw new TimeoutException("the publisher never reported its first encrypted frame");
    }

    private async Task<string> ServeToggleWorkerAsync()
    {
        await using (Stream source = typeof(JFrameContext).Assembly.GetManifestResourceStream("Callbridge.FrameCrypto.Browser.jframe-transform.js")
            ?? throw new InvalidOperationException("jframe-transform.js is not embedded in Callbridge.FrameCrypto"))
        await using (FileStream target = File.Create(Path.Combine(_browser.FilesFolder, "jframe-transform.js")))
        {
            await source.CopyToAsync(target);
        }
        return ParticipantE2eeOptions.JFrameToggleWorker;
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what) => WaitUntilAsync(() => Task.FromResult(condition()), timeout, what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting for " + what);
            await Task.Delay(50);
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
