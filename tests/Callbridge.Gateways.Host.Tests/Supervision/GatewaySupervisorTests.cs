using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Callbridge.Gateways.Host.Gateways;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Audit;
using Callbridge.Negotiation.Leave;
using Callbridge.Notices.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Callbridge.Gateways.Host.Tests.Supervision;

/// <summary>The host's gateway supervisor with stand-in gateways: start, status, stop, outcome, leave-now on every
/// E2EE signal, notices, and shutdown. Scripted rooms stand in for Janus (the real-Janus proofs are elsewhere).</summary>
public sealed class GatewaySupervisorTests(ITestOutputHelper output)
{
    private static string[] Values(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task Start_status_stop_and_outcome_are_kept_after_the_gateway_ended()
    {
        await using var host = new SupervisorHost(output);
        host.Rooms.Add("1001");
        using NoticeLog notices = host.Notices("1001");

        string id = await host.StartAsync("1001", """{"kind":"recording"}""");
        StandInGateway gateway = host.Recording.Single(id);
        Assert.Equal(("tenant-a", "1001"), (gateway.Launch.TenantId, gateway.Launch.ConferenceId));
        JsonElement running = await host.StatusAsync("1001", id);
        Assert.Equal(("recording", "Running", "Recording"), (running.GetProperty("kind").GetString(), running.GetProperty("state").GetString(), running.GetProperty("label").GetString()));
        var (listed, list) = await host.SendAsync(HttpMethod.Get, "/api/v1/conferences/1001/gateways");
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal([id], list.EnumerateArray().Select(g => g.GetProperty("gatewayId").GetString()));

        var (stopped, final) = await host.SendAsync(HttpMethod.Delete, $"/api/v1/conferences/1001/gateways/{id}");
        Assert.Equal(HttpStatusCode.OK, stopped);
        Assert.Equal("Stopped", final.GetProperty("state").GetString());
        Assert.Equal("Stopped through the API.", final.GetProperty("reason").GetString());
        JsonElement outcome = final.GetProperty("outcome");
        Assert.Equal("Stopped", outcome.GetProperty("finalState").GetString());
        Assert.Equal([$"standin/{id}/media.bin", $"standin/{id}/manifest.json"], Values(outcome.GetProperty("outputs")));
        Assert.True(gateway.Disposed);

        // Kept after it ended; a second stop is harmless and answers the same outcome.
        Assert.Equal("Stopped", (await host.StatusAsync("1001", id)).GetProperty("outcome").GetProperty("finalState").GetString());
        var (again, againBody) = await host.SendAsync(HttpMethod.Delete, $"/api/v1/conferences/1001/gateways/{id}");
        Assert.Equal((HttpStatusCode.OK, "Stopped"), (again, againBody.GetProperty("state").GetString()));

        GatewayStateNotice last = await notices.WaitForAsync<GatewayStateNotice>(n => n.State == GatewayState.Stopped);
        Assert.Equal([$"standin/{id}/media.bin", $"standin/{id}/manifest.json"], last.Outputs);
        Assert.Equal([GatewayState.Joining, GatewayState.Running, GatewayState.Leaving, GatewayState.Stopped],
            notices.Of<GatewayStateNotice>().Select(n => n.State));
    }

    [Fact]
    public async Task Unknown_gateways_and_other_tenants_gateways_are_not_found()
    {
        await using var host = new SupervisorHost(output);
        host.Rooms.Add("1002");
        string id = await host.StartAsync("1002", """{"kind":"captions"}""");

        var (missing, problem) = await host.SendAsync(HttpMethod.Get, "/api/v1/conferences/1002/gateways/gw-nope");
        Assert.Equal((HttpStatusCode.NotFound, "urn:callbridge:problem:gateway-not-found"), (missing, problem.GetProperty("type").GetString()));
        var (otherTenant, _) = await host.SendAsync(HttpMethod.Delete, $"/api/v1/conferences/1002/gateways/{id}", key: SupervisorHost.OtherKey);
        Assert.Equal(HttpStatusCode.NotFound, otherTenant);
        var (otherConference, _) = await host.SendAsync(HttpMethod.Get, $"/api/v1/conferences/9999/gateways/{id}");
        Assert.Equal(HttpStatusCode.NotFound, otherConference);
        Assert.Equal("Running", (await host.StatusAsync("1002", id)).GetProperty("state").GetString());
        var (_, otherList) = await host.SendAsync(HttpMethod.Get, "/api/v1/conferences/1002/gateways", key: SupervisorHost.OtherKey);
        Assert.Empty(otherList.EnumerateArray());
    }

    [Fact]
    public async Task Host_turning_e2ee_on_orders_every_running_media_gateway_out_with_its_reason()
    {
        await using var host = new SupervisorHost(output);
        host.Rooms.Add("1003");
        host.Rooms.Add("1004");
        using NoticeLog notices = host.Notices("1003");
        string recording = await host.StartAsync("1003", """{"kind":"recording"}""");
        string dialOut = await host.StartAsync("1003", """{"kind":"dial-out","destination":"+4930123456"}""");
        string elsewhere = await host.StartAsync("1004", """{"kind":"captions"}""");

        var (toggled, _) = await host.SendAsync(HttpMethod.Post, "/api/v1/conferences/1003/e2ee", """{"enabled":true}""");
        Assert.Equal(HttpStatusCode.OK, toggled);

        foreach (string id in new[] { recording, dialOut })
        {
            JsonElement status = await host.EndedStatusAsync("1003", id);
            Assert.Equal("LeftForE2ee", status.GetProperty("state").GetString());
            Assert.Equal(ReasonCodes.EnabledMidCall, status.GetProperty("reasonCode").GetString());
            Assert.Contains("end-to-end encryption was turned on", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
            Assert.Equal(ReasonCodes.EnabledMidCall, status.GetProperty("outcome").GetProperty("reasonCode").GetString());
        }
        Assert.Equal(ReasonCodes.EnabledMidCall, host.Recording.Single(recording).ReasonInManifest);
        Assert.Equal(ReasonCodes.EnabledMidCall, Assert.Single(host.DialOut.Single(dialOut).Orders).Order.Decision.ReasonCode);
        // Another conference is not touched.
        Assert.Empty(host.Captions.Single(elsewhere).Orders);
        Assert.Equal("Running", (await host.StatusAsync("1004", elsewhere)).GetProperty("state").GetString());

        // The host is told: the preview, each order (with the spoken prompt for the phone), each confirmation, each final state.
        E2eeImpactNotice preview = Assert.Single(notices.Of<E2eeImpactNotice>());
        Assert.Equal(["the recording will stop", "1 phone caller will be disconnected"], preview.Consequences);
        await notices.WaitForAsync<GatewayStateNotice>(n => n.GatewayId == dialOut && n.State == GatewayState.LeftForE2ee);
        DecisionNotice phoneOrder = notices.Of<DecisionNotice>().Single(d => d.GatewayId == dialOut && d.Outcome == CapabilityOutcome.LeaveNow);
        Assert.NotNull(phoneOrder.SpokenPrompt);
        foreach (string id in new[] { recording, dialOut })
        {
            var states = notices.Of<GatewayStateNotice>().Where(n => n.GatewayId == id).Select(n => n.State).ToArray();
            Assert.Equal([GatewayState.Joining, GatewayState.Running, GatewayState.Leaving, GatewayState.Left, GatewayState.LeftForE2ee], states);
        }

        // Audited: each order and its confirmation.
        var audit = host.Factory.Services.GetRequiredService<IDecisionAuditLog>().Query("1003");
        Assert.Contains(audit, e => e.GatewayId == recording && e.Event == AuditEvent.LeaveOrdered);
        Assert.Contains(audit, e => e.GatewayId == recording && e.Event == AuditEvent.LeaveConfirmed);
    }

    [Fact]
    public async Task Encrypted_media_seen_by_one_gateway_orders_every_media_gateway_of_the_conference_out_at_once()
    {
        await using var host = new SupervisorHost(output);
        host.Rooms.Add("1005");
        using NoticeLog notices = host.Notices("1005");
        string recording = await host.StartAsync("1005", """{"kind":"recording"}""");
        string captions = await host.StartAsync("1005", """{"kind":"captions"}""");
        StandInGateway recorder = host.Recording.Single(recording);

        var clock = Stopwatch.StartNew();
        recorder.ReportEncrypted("alice", "alice/0");
        LeaveNowOrder[] orders = [await recorder.OrderReceived.Task.WaitAsync(TimeSpan.FromSeconds(5)),
            await host.Captions.Single(captions).OrderReceived.Task.WaitAsync(TimeSpan.FromSeconds(5))];
        output.WriteLine($"both orders within {clock.ElapsedMilliseconds} ms of the report");
        Assert.All(orders, o => Assert.Equal(ReasonCodes.FramesObserved, o.Decision.ReasonCode));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"orders took {clock.Elapsed}");

        JsonElement status = await host.EndedStatusAsync("1005", captions);
        Assert.Equal((ReasonCodes.FramesObserved, "LeftForE2ee"), (status.GetProperty("reasonCode").GetString(), status.GetProperty("state").GetString()));
        Assert.Contains("encrypted media was detected", status.GetProperty("reason").GetString(), StringComparison.Ordinal);
        DecisionNotice order = await notices.WaitForAsync<DecisionNotice>(d => d.GatewayId == captions && d.Outcome == CapabilityOutcome.LeaveNow);
        Assert.Equal(AlternativeOffer.ClientSideCaptionsCode, order.AlternativeCode);

        // The conference now counts as E2EE: a new start is refused with the same reason.
        var (refused, problem) = await host.SendAsync(HttpMethod.Post, "/api/v1/conferences/1005/gateways", """{"kind":"recording"}""");
        Assert.Equal((HttpStatusCode.Conflict, ReasonCodes.FramesObserved), (refused, problem.GetProperty("reasonCode").GetString()));
    }

    [Fact]
    public async Task Room_policy_observed_by_a_gateway_orders_it_out()
    {
        await using var host = new SupervisorHost(output);
        host.Rooms.Add("1006");
        string id = await host.StartAsync("1006", """{"kind":"recording"}""");
        StandInGateway gateway = host.Recording.Single(id);
        gateway.ReportRoomPolicy(false);
        gateway.ReportRoomPolicy(true);
        LeaveNowOrder order = await gateway.OrderReceived.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(ReasonCodes.RoomPolicy, order.Decision.ReasonCode);
        Assert.Equal(ReasonCodes.RoomPolicy, (await host.EndedStatusAsync("1006", id)).GetProperty("reasonCode").GetString());
    }

    [Fact]
    public async Task A_gateway_that_does_not_confirm_is_force_stopped_and_ends_failed()
    {
        await using var host = new SupervisorHost(output);
        host.Rooms.Add("1007");
        host.Recording.Behaviour = new StandInBehaviour { IgnoresLeaveNow = true };
        using NoticeLog notices = host.Notices("1007");
        string id = await host.StartAsync("1007", """{"kind":"recording"}""");
        await host.SendAsync(HttpMethod.Post, "/api/v1/conferences/1007/e2ee", """{"enabled":true}""");

        JsonElement status = await host.EndedStatusAsync("1007", id);
        Assert.Equal("Failed", status.GetProperty("state").GetString());
        Assert.Equal(ReasonCodes.EnabledMidCall, status.GetProperty("reasonCode").GetString());
        Assert.True(host.Recording.Single(id).Disposed);
        await notices.WaitForAsync<GatewayStateNotice>(n => n.GatewayId == id && n.State == GatewayState.ForceStopped);
        var audit = host.Factory.Services.GetRequiredService<IDecisionAuditLog>().Query("1007");
        Assert.Contains(audit, e => e.GatewayId == id && e.Event == AuditEvent.LeaveDeadlineMissed);
    }

    [Fact]
    public async Task Captions_and_call_progress_reach_the_host_as_notices()
    {
        await using var host = new SupervisorHost(output);
        host.Rooms.Add("1008");
        using NoticeLog notices = host.Notices("1008");
        string captions = await host.StartAsync("1008", """{"kind":"captions"}""");
        string dialOut = await host.StartAsync("1008", """{"kind":"dial-out","destination":"+15550100"}""");

        StandInGateway bot = host.Captions.Single(captions);
        bot.Caption(new CaptionUpdate("p1", "Ana", "u1", "good morn", false, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5), null));
        bot.Caption(new CaptionUpdate("p1", "Ana", "u1", "good morning everyone", true, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2.2), 0.91));
        host.DialOut.Single(dialOut).Progress(CallProgress.Ringing, "180 Ringing");
        host.DialOut.Single(dialOut).Progress(CallProgress.Answered, "200 OK");

        CaptionNotice final = await notices.WaitForAsync<CaptionNotice>(c => c.IsFinal);
        Assert.Equal(("good morning everyone", "Ana", 1000L, 2200L), (final.Text, final.DisplayName, final.StartMs, final.EndMs));
        Assert.Equal(["good morn", "good morning everyone"], notices.Of<CaptionNotice>().Select(c => c.Text));
        await notices.WaitForAsync<CallProgressNotice>(c => c.Progress == "Answered");
        Assert.Equal(["Ringing", "Answered"], notices.Of<CallProgressNotice>().Select(c => c.Progress));
        Assert.Equal("Answered", (await host.StatusAsync("1008", dialOut)).GetProperty("callProgress").GetString());
    }

    [Fact]
    public async Task A_factory_that_cannot_start_gives_a_precise_problem_and_a_failed_record()
    {
        await using var host = new SupervisorHost(output);
        host.Rooms.Add("1009");
        using NoticeLog notices = host.Notices("1009");
        host.Recording.StartFailure = new GatewayStartException("sfu-unavailable", "Janus did not answer the join.");
        var (status, problem) = await host.SendAsync(HttpMethod.Post, "/api/v1/conferences/1009/gateways", """{"kind":"recording"}""");
        Assert.Equal((HttpStatusCode.ServiceUnavailable, "urn:callbridge:problem:sfu-unavailable"), (status, problem.GetProperty("type").GetString()));
        Assert.Equal("sfu-unavailable", problem.GetProperty("startCode").GetString());
        string id = problem.GetProperty("gatewayId").GetString()!;
        JsonElement record = await host.StatusAsync("1009", id);
        Assert.Equal(("Failed", "Failed"), (record.GetProperty("state").GetString(), record.GetProperty("outcome").GetProperty("finalState").GetString()));

        host.Recording.StartFailure = new GatewayStartException("limit-reached", "Ten recordings already run for this tenant.");
        var (limited, limit) = await host.SendAsync(HttpMethod.Post, "/api/v1/conferences/1009/gateways", """{"kind":"recording"}""");
        Assert.Equal((HttpStatusCode.BadGateway, "urn:callbridge:problem:gateway-start-failed", "limit-reached"),
            (limited, limit.GetProperty("type").GetString(), limit.GetProperty("startCode").GetString()));
        await notices.WaitForAsync<GatewayStateNotice>(n => n.State == GatewayState.Failed);
    }

    [Fact]
    public async Task Impact_preview_names_what_the_running_gateways_lose_and_whose_client_cannot_take_part()
    {
        await using var host = new SupervisorHost(output);
        host.Rooms.Add("1010");
        await host.StartAsync("1010", """{"kind":"recording"}""");
        await host.StartAsync("1010", """{"kind":"dial-out","destination":"+15550100"}""");
        await host.StartAsync("1010", """{"kind":"dial-out","destination":"+15550101"}""");
        await host.StartAsync("1010", """{"kind":"captions"}""");
        await host.SendAsync(HttpMethod.Post, "/api/v1/conferences/1010/participants/p-ben/client",
            """{"userAgent":"Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko","displayName":"Ben"}""");

        var (ok, preview) = await host.SendAsync(HttpMethod.Get, "/api/v1/conferences/1010/e2ee/preview");
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.Equal(["the recording will stop", "2 phone callers will be disconnected", "server captions will stop"], Values(preview.GetProperty("consequences")));
        Assert.Equal(4, preview.GetProperty("willStop").GetArrayLength());
        JsonElement ben = Assert.Single(preview.GetProperty("participants").EnumerateArray());
        Assert.Equal(("Ben", "Unsupported"), (ben.GetProperty("displayName").GetString(), ben.GetProperty("support").GetString()));
        Assert.Contains("Internet Explorer", ben.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsupported_client_is_noticed_when_the_conference_is_or_becomes_e2ee()
    {
        await using var host = new SupervisorHost(output);
        host.Rooms.Add("1011");
        host.Rooms.Add("1012", requiresE2ee: true);
        using NoticeLog plain = host.Notices("1011");
        using NoticeLog encrypted = host.Notices("1012");
        const string OldFirefox = """{"userAgent":"Mozilla/5.0 (X11; Linux x86_64; rv:102.0) Gecko/20100101 Firefox/102.0","displayName":"Chloé"}""";

        var (_, before) = await host.SendAsync(HttpMethod.Post, "/api/v1/conferences/1011/participants/p-chloe/client", OldFirefox);
        Assert.Equal(("Unsupported", false), (before.GetProperty("support").GetString(), before.GetProperty("noticed").GetBoolean()));
        Assert.Empty(plain.Of<UnsupportedClientNotice>());

        // The conference becomes E2EE: the host is told now, naming the participant and the reason.
        await host.SendAsync(HttpMethod.Post, "/api/v1/conferences/1011/e2ee", """{"enabled":true}""");
        UnsupportedClientNotice notice = await plain.WaitForAsync<UnsupportedClientNotice>(_ => true);
        Assert.Equal(("p-chloe", "Chloé"), (notice.ParticipantId, notice.DisplayName));
        Assert.Contains("Firefox 102.0 is too old", notice.HostMessage, StringComparison.Ordinal);

        // Already E2EE (room policy): noticed at once; a supported client is not.
        var (_, at) = await host.SendAsync(HttpMethod.Post, "/api/v1/conferences/1012/participants/p-chloe/client", OldFirefox);
        Assert.True(at.GetProperty("noticed").GetBoolean());
        Assert.Contains("Chloé cannot take part", at.GetProperty("hostMessage").GetString(), StringComparison.Ordinal);
        var (_, fine) = await host.SendAsync(HttpMethod.Post, "/api/v1/conferences/1012/participants/p-dev/client",
            """{"userAgent":"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"}""");
        Assert.Equal(("Supported", false, "p-dev"), (fine.GetProperty("support").GetString(), fine.GetProperty("noticed").GetBoolean(), fine.GetProperty("displayName").GetString()));
        Assert.Equal(["p-chloe"], (await encrypted.WaitForAsync<UnsupportedClientNotice>(_ => true)) is { } n ? [n.ParticipantId] : Array.Empty<string>());
    }

    [Fact]
    public async Task Client_declarations_with_bad_fields_get_precise_problems()
    {
        await using var host = new SupervisorHost(output);
        host.Rooms.Add("1013");
        string path = "/api/v1/conferences/1013/participants/p1/client";
        var (_, missing) = await host.SendAsync(HttpMethod.Post, path, "{}");
        Assert.True(missing.GetProperty("errors").TryGetProperty("userAgent", out _));
        var (_, typed) = await host.SendAsync(HttpMethod.Post, path, """{"userAgent":5,"displayName":false,"browser":"x"}""");
        JsonElement errors = typed.GetProperty("errors");
        Assert.True(errors.TryGetProperty("userAgent", out _) && errors.TryGetProperty("displayName", out _) && errors.TryGetProperty("browser", out _));
        var (malformed, m) = await host.SendAsync(HttpMethod.Post, path, """{"userAgent":""");
        Assert.Equal((HttpStatusCode.BadRequest, "urn:callbridge:problem:malformed-json"), (malformed, m.GetProperty("type").GetString()));
        var (tooLong, _) = await host.SendAsync(HttpMethod.Post, path, $$"""{"userAgent":"{{new string('a', 2000)}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, tooLong);
        var (notFound, nf) = await host.SendAsync(HttpMethod.Post, "/api/v1/conferences/7777/participants/p1/client", """{"userAgent":""}""");
        Assert.Equal((HttpStatusCode.NotFound, "urn:callbridge:problem:conference-not-found"), (notFound, nf.GetProperty("type").GetString()));
        var (badId, _) = await host.SendAsync(HttpMethod.Get, "/api/v1/conferences/room-x/e2ee/preview");
        Assert.Equal(HttpStatusCode.BadRequest, badId);
    }

    [Fact]
    public async Task A_conference_that_ended_is_noticed_and_its_gateways_are_stopped()
    {
        await using var host = new SupervisorHost(output);
        host.Rooms.Add("1014");
        using NoticeLog notices = host.Notices("1014");
        string recording = await host.StartAsync("1014", """{"kind":"recording"}""");
        string captions = await host.StartAsync("1014", """{"kind":"captions"}""");

        host.Rooms.End("1014");
        host.Recording.Single(recording).EndOnItsOwn(GatewayRunState.Stopped, "The conference ended; output final.");
        ConferenceEndedNotice ended = await notices.WaitForAsync<ConferenceEndedNotice>(_ => true);
        Assert.Contains("no longer exists", ended.Reason, StringComparison.Ordinal);
        JsonElement status = await host.EndedStatusAsync("1014", captions);
        Assert.Equal(("Stopped", "The conference ended."), (status.GetProperty("state").GetString(), status.GetProperty("reason").GetString()));
        await Task.Delay(500);
        Assert.Single(notices.Of<ConferenceEndedNotice>());
    }

    [Fact]
    public async Task Host_shutdown_stops_every_gateway_gracefully_within_the_grace_time()
    {
        await using var host = new SupervisorHost(output, b => b.UseSetting("Callbridge:Gateways:ShutdownGrace", "00:00:01.500"));
        host.Rooms.Add("1015");
        using NoticeLog notices = host.Notices("1015");
        host.Recording.Behaviour = new StandInBehaviour { StopTakes = TimeSpan.FromMilliseconds(400) };
        string slow = await host.StartAsync("1015", """{"kind":"recording"}""");
        host.Captions.Behaviour = new StandInBehaviour { IgnoresStop = true };
        string stuck = await host.StartAsync("1015", """{"kind":"captions"}""");
        string quick = await host.StartAsync("1015", """{"kind":"dial-out","destination":"+15550100"}""");
        var supervisor = host.Factory.Services.GetRequiredService<GatewaySupervisor>();

        var clock = Stopwatch.StartNew();
        // The whole host stops as on Ctrl-C: the supervisor is one of its hosted services.
        await host.Factory.Services.GetRequiredService<IHost>().StopAsync();
        output.WriteLine($"host stopped in {clock.ElapsedMilliseconds} ms");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"shutdown took {clock.Elapsed}");

        Dictionary<string, GatewayStatus> final = supervisor.In("tenant-a", "1015").ToDictionary(g => g.GatewayId, g => g.Status());
        Assert.Equal(("Stopped", "The host shut down."), (final[slow].State, final[slow].Reason));
        Assert.Equal([$"standin/{slow}/media.bin", $"standin/{slow}/manifest.json"], final[slow].Outcome!.Outputs);
        Assert.Equal("Stopped", final[quick].State);
        Assert.Equal("Failed", final[stuck].State);
        Assert.True(host.Captions.Single(stuck).Disposed);
        // Each final state was noticed, with its outcome.
        foreach (string id in new[] { slow, stuck, quick })
            Assert.NotNull((await notices.WaitForAsync<GatewayStateNotice>(n => n.GatewayId == id && n.Summary is not null)).Outputs);
        output.WriteLine($"final notices seen {clock.ElapsedMilliseconds} ms after the stop began");
    }

    [Fact]
    public async Task Gateway_notices_reach_the_tenants_signed_webhook_in_order()
    {
        const string Secret = "supervisor-webhook-secret-0123456789abcdef";
        await using Console.WebhookReceiver receiver = await Console.WebhookReceiver.StartAsync();
        await using var host = new SupervisorHost(output, b =>
        {
            b.UseSetting("Callbridge:Tenants:0:WebhookUrl", receiver.Url.ToString());
            b.UseSetting("Callbridge:Tenants:0:WebhookSecret", Secret);
        });
        host.Rooms.Add("1016");
        string id = await host.StartAsync("1016", """{"kind":"captions"}""");
        StandInGateway bot = host.Captions.Single(id);
        bot.Caption(new CaptionUpdate("p1", null, "u1", "partial", false, TimeSpan.Zero, TimeSpan.FromSeconds(1), null));
        bot.Caption(new CaptionUpdate("p1", null, "u1", "final words", true, TimeSpan.Zero, TimeSpan.FromSeconds(2), null));
        await host.SendAsync(HttpMethod.Post, "/api/v1/conferences/1016/e2ee", """{"enabled":true}""");
        await host.EndedStatusAsync("1016", id);

        // decision(allow) 1, Joining 2, Running 3, partial caption 4 (stream only), final caption 5, impact 6, order 7, Leaving 8, Left 9, LeftForE2ee 10.
        var types = new List<(string NoticeId, string Type)>();
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (types.Count < 9)
        {
            Console.WebhookReceiver.Received r = await receiver.Requests.ReadAsync(wait.Token);
            Assert.Equal(Callbridge.Notices.Webhooks.WebhookSignatureCheck.Valid, Callbridge.Notices.Webhooks.WebhookSignature.Verify(
                System.Text.Encoding.UTF8.GetBytes(Secret), r.Signature, r.Body, DateTimeOffset.UtcNow, Callbridge.Notices.Webhooks.WebhookSignature.DefaultTolerance));
            using JsonDocument doc = JsonDocument.Parse(r.Body);
            types.Add((r.NoticeId!, doc.RootElement.GetProperty("notice").GetProperty("type").GetString()!));
        }
        output.WriteLine(string.Join(", ", types));
        Assert.Equal(["1016:1", "1016:2", "1016:3", "1016:5", "1016:6", "1016:7", "1016:8", "1016:9", "1016:10"], types.Select(t => t.NoticeId));
        Assert.Equal(["decision", "gateway_state", "gateway_state", "caption", "e2ee_impact", "decision", "gateway_state", "gateway_state", "gateway_state"],
            types.Select(t => t.Type));
    }
}
