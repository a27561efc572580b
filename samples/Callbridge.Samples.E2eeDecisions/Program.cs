using Callbridge.Negotiation;

// dotnet run --project samples/Callbridge.Samples.E2eeDecisions
// The negotiator is a pure function of its inputs: this walks a meeting through the states a host
// meets and prints, for every gateway, the outcome, the stable reason code and the words the host sees.
var now = DateTimeOffset.UtcNow;
(string Situation, GatewayPhase Phase, ConferenceE2eeState State, TenantPolicy Tenant)[] situations =
[
    ("A plain meeting", GatewayPhase.AboutToJoin, ConferenceE2eeState.Clear, TenantPolicy.Open),
    ("A room created to require E2EE", GatewayPhase.AboutToJoin, ConferenceE2eeState.Clear with { RoomRequiresE2ee = true }, TenantPolicy.Open),
    ("The host turns E2EE on while gateways run", GatewayPhase.Running, ConferenceE2eeState.Clear.WithHostToggle(true, now), TenantPolicy.Open),
    ("A participant's frames look encrypted (no policy says so)", GatewayPhase.Running, ConferenceE2eeState.Clear with { EncryptedTracksObserved = 1 }, TenantPolicy.Open),
    ("The tenant switched phone access off", GatewayPhase.AboutToJoin, ConferenceE2eeState.Clear, TenantPolicy.Create(disabled: GatewayFeature.Phone)),
];

foreach (var (situation, phase, state, tenant) in situations)
{
    Console.WriteLine($"== {situation}");
    foreach (GatewayKind kind in new[] { GatewayKind.Recording, GatewayKind.PstnDialIn, GatewayKind.ServerCaptions })
    {
        CapabilityDecision d = CapabilityPolicy.Decide(GatewayRequest.For(kind, phase), state, tenant);
        Console.WriteLine($"  {kind,-15} {d.Outcome,-9} {d.ReasonCode}");
        if (d.Outcome == CapabilityOutcome.Allow) continue;
        Console.WriteLine($"    host sees:  {d.HostMessage}");
        if (d.SpokenPrompt is not null) Console.WriteLine($"    caller hears: {d.SpokenPrompt}");
        if (d.Alternative is not null) Console.WriteLine($"    instead:    {d.Alternative.Description}");
    }
    Console.WriteLine();
}
