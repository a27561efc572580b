using Callbridge.Negotiation;
using Callbridge.Notices.Model;

namespace Callbridge.Notices.Tests;

internal static class Notices
{
    public static readonly DateTimeOffset At = new(2026, 11, 22, 9, 41, 0, TimeSpan.Zero);

    public static GatewayStateNotice State(string conference, int n) =>
        new(conference, At.AddSeconds(n), "gw-" + n, GatewayKind.Recording, GatewayState.Running, null, "n=" + n);

    public static DecisionNotice Decision(string conference) =>
        DecisionNotice.From(conference, "sip-1", GatewayKind.PstnDialIn,
            CapabilityPolicy.Decide(GatewayRequest.For(GatewayKind.PstnDialIn, GatewayPhase.AboutToJoin),
                ConferenceE2eeState.Clear with { RoomRequiresE2ee = true }, TenantPolicy.Open), At);
}
