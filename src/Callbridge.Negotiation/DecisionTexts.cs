using System.Globalization;

namespace Callbridge.Negotiation;

/// <summary>The words that go with a decision: host message, phone prompt, alternative.</summary>
internal static class DecisionTexts
{
    /// <summary>The one sentence every E2EE message carries: what it protects and what it does not.</summary>
    internal const string WhatE2eeProtects =
        "End-to-end encryption means audio and video can be decoded only on the participants' own devices, " +
        "so no server, ours included, can record, transcribe or carry them to a phone; it does not hide who " +
        "takes part, when, or for how long.";

    private static readonly AlternativeOffer ClientCaptions = new(
        AlternativeOffer.ClientSideCaptionsCode,
        "Each participant can turn on captions in their own client: speech is recognized on their device after " +
        "it decrypts the media, and nothing leaves the device.",
        ProvidedByService: true);

    private static readonly AlternativeOffer LocalRecording = new(
        AlternativeOffer.ParticipantLocalRecordingCode,
        "A participant can record on their own device with their operating system's or browser's screen " +
        "recorder, with everyone's consent. This service does not provide, receive or store such recordings.",
        ProvidedByService: false);

    private static readonly AlternativeOffer SupportedClient = new(
        AlternativeOffer.JoinFromSupportedClientCode,
        "Phone participants can join from a browser or app that supports end-to-end encryption instead.",
        ProvidedByService: true);

    public static string FeatureName(GatewayKind kind) => kind switch
    {
        GatewayKind.Recording => "Cloud recording",
        GatewayKind.PstnDialIn => "Phone dial-in",
        GatewayKind.PstnDialOut => "Phone dial-out",
        GatewayKind.ServerCaptions => "Server-side live captioning",
        _ => "The presence bot",
    };

    public static CapabilityDecision Compose(
        GatewayRequest gateway, CapabilityOutcome outcome, string reason, ConferenceE2eeState e2ee, TenantPolicy tenant)
    {
        string feature = FeatureName(gateway.Kind);
        if (outcome == CapabilityOutcome.Allow)
        {
            return new CapabilityDecision(outcome, reason, $"{feature} is available in this meeting.", null, null);
        }

        bool e2eeReason = reason != ReasonCodes.TenantFeatureDisabled;
        string why = Why(reason, e2ee, tenant);
        string message = outcome == CapabilityOutcome.Refuse
            ? $"{feature} is unavailable in this meeting {why}."
            : $"{feature} has stopped {why}. {WhatWasKept(gateway.Kind)}";
        if (e2eeReason)
        {
            message += " " + WhatE2eeProtects;
        }

        AlternativeOffer? alternative = e2eeReason ? AlternativeFor(gateway.Kind) : null;
        string? prompt = gateway.Kind.IsPhone() ? SpokenPrompt(outcome, e2eeReason, reason) : null;
        return new CapabilityDecision(outcome, reason, message, prompt, alternative);
    }

    private static string Why(string reason, ConferenceE2eeState e2ee, TenantPolicy tenant) => reason switch
    {
        ReasonCodes.TenantFeatureDisabled => "because your organization has switched this feature off",
        ReasonCodes.TenantE2eeRequired => tenant.E2eeRequiredForTenant
            ? "because your organization requires end-to-end encryption for every meeting"
            : "because your organization requires end-to-end encryption for your group's meetings",
        ReasonCodes.RoomPolicy => "because this room requires end-to-end encryption",
        ReasonCodes.EnabledMidCall => e2ee.ToggledAt is { } at
            ? "because end-to-end encryption was turned on at " + at.UtcDateTime.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture)
            : "because end-to-end encryption was turned on",
        ReasonCodes.EnabledByHost => "because end-to-end encryption is turned on for this meeting",
        ReasonCodes.ParticipantDeclared => e2ee.DeclaredE2eeParticipants == 1
            ? "because a participant uses end-to-end encryption"
            : $"because {e2ee.DeclaredE2eeParticipants.ToString(CultureInfo.InvariantCulture)} participants use end-to-end encryption",
        ReasonCodes.FramesObserved => e2ee.EncryptedTracksObserved == 1
            ? "because end-to-end encrypted media was detected on a participant's track"
            : $"because end-to-end encrypted media was detected on {e2ee.EncryptedTracksObserved.ToString(CultureInfo.InvariantCulture)} tracks",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a refusal reason."),
    };

    private static string WhatWasKept(GatewayKind kind) => kind switch
    {
        GatewayKind.Recording => "What was recorded before that moment is saved; nothing after it was recorded.",
        GatewayKind.PstnDialIn or GatewayKind.PstnDialOut => "Phone callers were told why and disconnected.",
        GatewayKind.ServerCaptions => "The transcript up to that moment is saved.",
        _ => "It has left the meeting.",
    };

    private static AlternativeOffer? AlternativeFor(GatewayKind kind) => kind switch
    {
        GatewayKind.ServerCaptions => ClientCaptions,
        GatewayKind.Recording => LocalRecording,
        GatewayKind.PstnDialIn or GatewayKind.PstnDialOut => SupportedClient,
        _ => null,
    };

    private static string SpokenPrompt(CapabilityOutcome outcome, bool e2eeReason, string reason)
    {
        if (!e2eeReason)
        {
            return outcome == CapabilityOutcome.Refuse
                ? "Phone access is not available for this meeting. Goodbye."
                : "Phone access has been switched off for this meeting, so this call will now end. Goodbye.";
        }

        if (outcome == CapabilityOutcome.Refuse)
        {
            return "This meeting is end-to-end encrypted, so it cannot be joined by phone. " +
                   "Please join from a computer or a mobile app instead. Goodbye.";
        }

        return reason == ReasonCodes.EnabledMidCall
            ? "The host turned on end-to-end encryption, so this phone call must end now. Please rejoin from a computer or a mobile app. Goodbye."
            : "This meeting is now end-to-end encrypted, so this phone call must end now. Please rejoin from a computer or a mobile app. Goodbye.";
    }
}
