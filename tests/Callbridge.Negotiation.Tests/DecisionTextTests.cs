using Callbridge.Negotiation;

namespace Callbridge.Negotiation.Tests;

public sealed class DecisionTextTests
{
    private static readonly ConferenceE2eeState RoomE2ee = ConferenceE2eeState.Clear with { RoomRequiresE2ee = true };

    [Theory]
    [InlineData(GatewayKind.Recording, "Cloud recording")]
    [InlineData(GatewayKind.PstnDialIn, "Phone dial-in")]
    [InlineData(GatewayKind.PstnDialOut, "Phone dial-out")]
    [InlineData(GatewayKind.ServerCaptions, "Server-side live captioning")]
    public void Refusal_names_the_feature_the_reason_and_what_e2ee_protects(GatewayKind kind, string feature)
    {
        CapabilityDecision d = CapabilityPolicy.Decide(GatewayRequest.For(kind, GatewayPhase.AboutToJoin), RoomE2ee, TenantPolicy.Open);
        Assert.Equal(CapabilityOutcome.Refuse, d.Outcome);
        Assert.StartsWith(feature + " is unavailable in this meeting because this room requires end-to-end encryption.", d.HostMessage, StringComparison.Ordinal);
        Assert.Contains("decoded only on the participants' own devices", d.HostMessage, StringComparison.Ordinal);
        Assert.Contains("does not hide who takes part", d.HostMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Spoken_prompt_only_for_phone_kinds_and_only_when_not_allowed()
    {
        foreach (GatewayKind kind in Enum.GetValues<GatewayKind>())
        {
            CapabilityDecision refused = CapabilityPolicy.Decide(GatewayRequest.For(kind, GatewayPhase.AboutToJoin), RoomE2ee, TenantPolicy.Open);
            CapabilityDecision allowed = CapabilityPolicy.Decide(GatewayRequest.For(kind, GatewayPhase.AboutToJoin), ConferenceE2eeState.Clear, TenantPolicy.Open);
            Assert.Null(allowed.SpokenPrompt);
            Assert.Equal(kind.IsPhone(), refused.SpokenPrompt is not null);
        }

        CapabilityDecision midCall = CapabilityPolicy.Decide(GatewayRequest.For(GatewayKind.PstnDialIn, GatewayPhase.Running),
            ConferenceE2eeState.Clear.WithHostToggle(true, DateTimeOffset.UnixEpoch), TenantPolicy.Open);
        Assert.Equal(CapabilityOutcome.LeaveNow, midCall.Outcome);
        Assert.StartsWith("The host turned on end-to-end encryption, so this phone call must end now.", midCall.SpokenPrompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Alternatives_are_honest_per_kind()
    {
        AlternativeOffer? Alt(GatewayKind k) =>
            CapabilityPolicy.Decide(GatewayRequest.For(k, GatewayPhase.Running), RoomE2ee, TenantPolicy.Open).Alternative;

        Assert.Equal(AlternativeOffer.ClientSideCaptionsCode, Alt(GatewayKind.ServerCaptions)!.Code);
        Assert.True(Alt(GatewayKind.ServerCaptions)!.ProvidedByService);
        Assert.Equal(AlternativeOffer.ParticipantLocalRecordingCode, Alt(GatewayKind.Recording)!.Code);
        Assert.False(Alt(GatewayKind.Recording)!.ProvidedByService);
        Assert.Contains("does not provide", Alt(GatewayKind.Recording)!.Description, StringComparison.Ordinal);
        Assert.Equal(AlternativeOffer.JoinFromSupportedClientCode, Alt(GatewayKind.PstnDialOut)!.Code);

        // A tenant switch is not E2EE: no E2EE sentence and no alternative to offer.
        CapabilityDecision disabled = CapabilityPolicy.Decide(GatewayRequest.For(GatewayKind.ServerCaptions, GatewayPhase.AboutToJoin),
            RoomE2ee, TenantPolicy.Create(disabled: GatewayFeature.ServerCaptions));
        Assert.Equal(ReasonCodes.TenantFeatureDisabled, disabled.ReasonCode);
        Assert.Null(disabled.Alternative);
        Assert.DoesNotContain("End-to-end encryption means", disabled.HostMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Leave_message_says_when_and_what_was_kept()
    {
        var at = new DateTimeOffset(2026, 11, 22, 9, 41, 0, TimeSpan.Zero);
        CapabilityDecision d = CapabilityPolicy.Decide(GatewayRequest.For(GatewayKind.Recording, GatewayPhase.Running),
            ConferenceE2eeState.Clear.WithHostToggle(true, at), TenantPolicy.Open);
        Assert.Equal(ReasonCodes.EnabledMidCall, d.ReasonCode);
        Assert.StartsWith("Cloud recording has stopped because end-to-end encryption was turned on at 09:41 UTC. What was recorded before that moment is saved",
            d.HostMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Counts_appear_in_the_message()
    {
        CapabilityDecision d = CapabilityPolicy.Decide(GatewayRequest.For(GatewayKind.ServerCaptions, GatewayPhase.AboutToJoin),
            ConferenceE2eeState.Clear with { EncryptedTracksObserved = 3 }, TenantPolicy.Open);
        Assert.Contains("detected on 3 tracks", d.HostMessage, StringComparison.Ordinal);
        d = CapabilityPolicy.Decide(GatewayRequest.For(GatewayKind.ServerCaptions, GatewayPhase.AboutToJoin),
            ConferenceE2eeState.Clear with { DeclaredE2eeParticipants = 2 }, TenantPolicy.Open);
        Assert.Contains("because 2 participants use end-to-end encryption", d.HostMessage, StringComparison.Ordinal);
        d = CapabilityPolicy.Decide(GatewayRequest.For(GatewayKind.Recording, GatewayPhase.AboutToJoin), ConferenceE2eeState.Clear, TenantPolicy.Create(groupRequiresE2ee: true));
        Assert.Contains("for your group's meetings", d.HostMessage, StringComparison.Ordinal);
    }
}
