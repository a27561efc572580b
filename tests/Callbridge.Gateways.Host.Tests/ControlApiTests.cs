using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Janus;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace Callbridge.Gateways.Host.Tests;

/// <summary>The control API in process, against a real Janus: decisions, refusals and bad requests.</summary>
public sealed class ControlApiTests : IClassFixture<JanusFixture>, IDisposable
{
    private const string Key = "tenant-a-key-0123456789";
    private const string NoPhoneKey = "tenant-b-key-0123456789";
    private readonly JanusFixture _janus;
    private readonly ITestOutputHelper _output;
    private readonly WebApplicationFactory<Program> _factory;
    private readonly HttpClient _client;

    public ControlApiTests(JanusFixture janus, ITestOutputHelper output)
    {
        _janus = janus;
        _output = output;
        string data = TestEnvironment.NewFolder("control-api");
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseTestHost(janus.HttpUri.ToString(), data).UseTenant(0, "tenant-a", Key).UseTenant(1, "tenant-b", NoPhoneKey);
            b.UseSetting("Callbridge:Tenants:1:DisabledFeatures:0", "Phone");
        });
        _client = _factory.CreateClient();
    }

    public void Dispose()
    {
        _client.Dispose();
        _factory.Dispose();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, string json, string? key = Key, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        using HttpResponseMessage response = await _client.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        _output.WriteLine($"POST {path} {json} -> {(int)response.StatusCode} {response.Content.Headers.ContentType} {text}");
        if (!response.IsSuccessStatusCode) Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<JsonElement> DecisionsAsync(long room)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/conferences/{room}/decisions");
        request.Headers.Add("X-Api-Key", Key);
        using HttpResponseMessage response = await _client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Theory]
    [InlineData("""{"kind":"recording"}""", null)]
    [InlineData("""{"kind":"dial-out","destination":"+4930123456"}""", null)]
    [InlineData("""{"kind":"dial-out","destination":"+4930123456;postd=ww1234#"}""", null)]
    [InlineData("""{"kind":"captions"}""", "client_side_captions")]
    public Task Every_kind_is_refused_on_a_require_e2ee_room_before_anything_joins(string body, string? alternative) => FailureLogs.RunAsync(_output, async () =>
    {
        long room = await _janus.CreateRoomAsync(requireE2ee: true);
        var (status, problem) = await PostAsync($"/api/v1/conferences/{room}/gateways", body);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("urn:callbridge:problem:capability-refused", problem.GetProperty("type").GetString());
        Assert.Equal("e2ee.room_policy", problem.GetProperty("reasonCode").GetString());
        Assert.Contains("end-to-end", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
        if (alternative is not null) Assert.Equal(alternative, problem.GetProperty("alternative").GetProperty("code").GetString());

        // Nothing joined the room: the decision came from the SFU's room list alone.
        Assert.Empty(await _janus.Rooms.ListParticipantsAsync(room));
        JsonElement decisions = await DecisionsAsync(room);
        Assert.Equal("e2ee.room_policy", Assert.Single(decisions.EnumerateArray()).GetProperty("reasonCode").GetString());
    }, _janus);

    [Fact]
    public Task Host_turning_e2ee_on_refuses_later_starts_in_a_plain_room() => FailureLogs.RunAsync(_output, async () =>
    {
        long room = await _janus.CreateRoomAsync();
        var (allowed, started) = await PostAsync($"/api/v1/conferences/{room}/gateways", """{"kind":"recording"}""");
        // Allowed by the negotiator: the recording gateway joins the (still empty) room.
        Assert.Equal(HttpStatusCode.Accepted, allowed);
        Assert.Equal("Running", started.GetProperty("state").GetString());

        var (toggled, _) = await PostAsync($"/api/v1/conferences/{room}/e2ee", """{"enabled":true}""");
        Assert.Equal(HttpStatusCode.OK, toggled);
        var (status, problem) = await PostAsync($"/api/v1/conferences/{room}/gateways", """{"kind":"recording"}""");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("e2ee.enabled_by_host", problem.GetProperty("reasonCode").GetString());

        // The start was allowed (and the recording's own join check too); the toggle ordered the running recording
        // out (enabled mid-call) and refused the later start (enabled by the host). Nothing else was decided.
        var reasons = (await DecisionsAsync(room)).EnumerateArray().Select(d => d.GetProperty("reasonCode").GetString()).ToList();
        string all = string.Join(", ", reasons);
        Assert.True(reasons[0] == "ok", all);
        Assert.True(reasons[^1] == "e2ee.enabled_by_host", all);
        Assert.True(reasons.Contains("e2ee.enabled_mid_call"), all);
        Assert.True(reasons.All(r => r is "ok" or "e2ee.enabled_mid_call" or "e2ee.enabled_by_host"), all);
    }, _janus);

    [Fact]
    public Task A_tenant_that_switched_phone_off_gets_403_with_its_reason() => FailureLogs.RunAsync(_output, async () =>
    {
        long room = await _janus.CreateRoomAsync();
        var (status, problem) = await PostAsync($"/api/v1/conferences/{room}/gateways", """{"kind":"dial-out","destination":"+15550100"}""", NoPhoneKey);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("tenant.feature_disabled", problem.GetProperty("reasonCode").GetString());
    }, _janus);

    [Fact]
    public Task Bad_requests_get_precise_problems() => FailureLogs.RunAsync(_output, async () =>
    {
        long room = await _janus.CreateRoomAsync();
        string path = $"/api/v1/conferences/{room}/gateways";

        Assert.Equal("urn:callbridge:problem:api-key-missing", (await PostAsync(path, """{"kind":"recording"}""", key: null)).Body.GetProperty("type").GetString());
        Assert.Equal("urn:callbridge:problem:api-key-unknown", (await PostAsync(path, """{"kind":"recording"}""", key: "not-a-real-key-at-all")).Body.GetProperty("type").GetString());

        var (notFound, nf) = await PostAsync("/api/v1/conferences/999999/gateways", """{"kind":"recording"}""");
        Assert.Equal((HttpStatusCode.NotFound, "urn:callbridge:problem:conference-not-found"), (notFound, nf.GetProperty("type").GetString()));

        var (badId, bi) = await PostAsync("/api/v1/conferences/room-x/gateways", """{"kind":"recording"}""");
        Assert.Equal(HttpStatusCode.BadRequest, badId);
        Assert.True(bi.GetProperty("errors").TryGetProperty("conferenceId", out _));

        var (malformed, m) = await PostAsync(path, """{"kind": "recording",""");
        Assert.Equal((HttpStatusCode.BadRequest, "urn:callbridge:problem:malformed-json"), (malformed, m.GetProperty("type").GetString()));
        Assert.StartsWith("Line 1", m.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var (_, missingKind) = await PostAsync(path, "{}");
        Assert.Contains("recording", missingKind.GetProperty("errors").GetProperty("kind")[0].GetString(), StringComparison.Ordinal);
        var (_, wrongKind) = await PostAsync(path, """{"kind":"fax"}""");
        Assert.Contains("'fax'", wrongKind.GetProperty("errors").GetProperty("kind")[0].GetString(), StringComparison.Ordinal);
        var (_, noDestination) = await PostAsync(path, """{"kind":"dial-out"}""");
        Assert.True(noDestination.GetProperty("errors").TryGetProperty("destination", out _));
        var (_, badNumber) = await PostAsync(path, """{"kind":"dial-out","destination":"call me"}""");
        Assert.True(badNumber.GetProperty("errors").TryGetProperty("destination", out _));
        var (_, badKeys) = await PostAsync(path, """{"kind":"dial-out","destination":"+4930123456;postd=12x"}""");
        Assert.Contains("postd", badKeys.GetProperty("errors").GetProperty("destination")[0].GetString(), StringComparison.Ordinal);
        var (_, extra) = await PostAsync(path, """{"kind":"recording","format":"mp4"}""");
        Assert.True(extra.GetProperty("errors").TryGetProperty("format", out _));
        var (_, typed) = await PostAsync(path, """{"kind":42}""");
        Assert.Contains("string", typed.GetProperty("errors").GetProperty("kind")[0].GetString(), StringComparison.Ordinal);

        // None of these reached the negotiator.
        Assert.Empty((await DecisionsAsync(room)).EnumerateArray());
    }, _janus);

    [Fact]
    public Task Idempotency_key_replays_the_same_answer_and_catches_a_changed_body() => FailureLogs.RunAsync(_output, async () =>
    {
        long room = await _janus.CreateRoomAsync(requireE2ee: true);
        string path = $"/api/v1/conferences/{room}/gateways";
        var first = await PostAsync(path, """{"kind":"captions"}""", idempotencyKey: "start-1");
        var again = await PostAsync(path, """{"kind":"captions"}""", idempotencyKey: "start-1");
        Assert.Equal(first.Status, again.Status);
        Assert.Equal(first.Body.GetProperty("decisionId").GetString(), again.Body.GetProperty("decisionId").GetString());
        Assert.Single((await DecisionsAsync(room)).EnumerateArray());

        var changed = await PostAsync(path, """{"kind":"recording"}""", idempotencyKey: "start-1");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed.Status);
        Assert.Equal("urn:callbridge:problem:idempotency-key-reused", changed.Body.GetProperty("type").GetString());
    }, _janus);

    [Fact]
    public async Task OpenApi_description_lists_the_control_routes()
    {
        string json = await _client.GetStringAsync("/openapi/v1.json");
        using var doc = JsonDocument.Parse(json);
        var paths = doc.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/conferences/{conferenceId}/gateways", out _));
        Assert.True(paths.TryGetProperty("/api/v1/conferences/{conferenceId}/decisions", out _));
    }
}
