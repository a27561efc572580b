using Callbridge.Negotiation.Clients;
using Callbridge.Negotiation.Impact;

namespace Callbridge.Negotiation.Tests;

public sealed class ImpactPreviewTests
{
    [Fact]
    public void Lists_what_stops_and_which_clients_cannot_take_part()
    {
        RunningGateway[] gateways =
        [
            RunningGateway.Of("rec-1", GatewayKind.Recording, "Recording"),
            RunningGateway.Of("sip-1", GatewayKind.PstnDialIn, "Phone caller +1 555 0100"),
            RunningGateway.Of("sip-2", GatewayKind.PstnDialIn, "Phone caller +1 555 0101"),
            RunningGateway.Of("cap-1", GatewayKind.ServerCaptions, "Live captions"),
            RunningGateway.Of("roster", GatewayKind.PresenceOnly, "Roster bot"),
        ];
        ParticipantClient[] participants =
        [
            new("p1", "Ana", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36"),
            new("p2", "Ben", "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko"),
            new("p3", "Chloé", "Mozilla/5.0 (iPhone; CPU iPhone OS 14_8 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/94.0.4606.76 Mobile/15E148 Safari/604.1"),
            new("p4", "Dev", "Mozilla/5.0 (Linux; Android 13; Pixel 7 Build/TQ3A.230805.001; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36"),
        ];

        E2eeImpactReport report = E2eeImpactPreview.Compute(ConferenceE2eeState.Clear, TenantPolicy.Open, gateways, participants,
            new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero));

        Assert.Equal(["rec-1", "sip-1", "sip-2", "cap-1"], report.WillStop.Select(g => g.Gateway.GatewayId));
        Assert.All(report.WillStop, g => Assert.Equal(CapabilityOutcome.LeaveNow, g.Decision.Outcome));
        Assert.All(report.WillStop, g => Assert.Equal(ReasonCodes.EnabledMidCall, g.Decision.ReasonCode));
        Assert.Equal(["roster"], report.Unaffected.Select(g => g.Gateway.GatewayId));
        Assert.Equal(["Ben", "Chloé"], report.ClientsThatCannotJoin.Select(c => c.Participant.DisplayName));
        Assert.Equal(["Dev"], report.ClientsUnknown.Select(c => c.Participant.DisplayName));
        Assert.Equal(
            "If you turn on end-to-end encryption now: these will stop: Recording, Phone caller +1 555 0100, Phone caller +1 555 0101, Live captions; " +
            "2 participants' clients cannot take part (Ben, Chloé); 1 client could not be checked (Dev).",
            report.Summary);
    }

    [Fact]
    public void Tenant_disabled_feature_is_reported_with_its_own_reason()
    {
        E2eeImpactReport report = E2eeImpactPreview.Compute(ConferenceE2eeState.Clear, TenantPolicy.Create(disabled: GatewayFeature.Recording),
            [RunningGateway.Of("rec-1", GatewayKind.Recording, "Recording")], [], DateTimeOffset.UnixEpoch);
        Assert.Equal(ReasonCodes.TenantFeatureDisabled, Assert.Single(report.WillStop).Decision.ReasonCode);
        Assert.Equal("If you turn on end-to-end encryption now: these will stop: Recording; every recognized participant's client supports it.", report.Summary);
    }
}

public sealed class ImpactConsequencesTests
{
    [Fact]
    public void Running_gateways_are_described_per_kind_in_the_hosts_words()
    {
        RunningGateway[] gateways =
        [
            RunningGateway.Of("sip-1", GatewayKind.PstnDialIn, "Phone caller +1 555 0100"),
            RunningGateway.Of("cap-1", GatewayKind.ServerCaptions, "Live captions"),
            RunningGateway.Of("rec-1", GatewayKind.Recording, "Recording"),
            RunningGateway.Of("sip-2", GatewayKind.PstnDialOut, "Phone call to +1 555 0101"),
            RunningGateway.Of("roster", GatewayKind.PresenceOnly, "Roster bot"),
        ];
        E2eeImpactReport report = E2eeImpactPreview.Compute(ConferenceE2eeState.Clear, TenantPolicy.Open, gateways, [], DateTimeOffset.UnixEpoch);
        Assert.Equal(["the recording will stop", "2 phone callers will be disconnected", "server captions will stop"], report.Consequences);
    }

    [Fact]
    public void Counts_and_singulars_follow_what_stops()
    {
        RunningGateway[] gateways =
        [
            RunningGateway.Of("rec-1", GatewayKind.Recording, "Recording 1"),
            RunningGateway.Of("rec-2", GatewayKind.Recording, "Recording 2"),
            RunningGateway.Of("sip-1", GatewayKind.PstnDialOut, "Phone call"),
        ];
        E2eeImpactReport report = E2eeImpactPreview.Compute(ConferenceE2eeState.Clear, TenantPolicy.Open, gateways, [], DateTimeOffset.UnixEpoch);
        Assert.Equal(["2 recordings will stop", "1 phone caller will be disconnected"], report.Consequences);
        Assert.Empty(E2eeImpactPreview.Compute(ConferenceE2eeState.Clear, TenantPolicy.Open, [], [], DateTimeOffset.UnixEpoch).Consequences);
    }
}
