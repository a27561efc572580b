using System.Globalization;
using System.Text;
using Callbridge.Negotiation.Clients;

namespace Callbridge.Negotiation.Impact;

/// <summary>
/// "What happens if I turn E2EE on now?": evaluates every running gateway against the state the
/// conference would have after the toggle (the same <see cref="CapabilityPolicy"/> the coordinator will
/// use, so the preview cannot disagree with what then happens) and classifies every participant's client.
/// </summary>
public static class E2eeImpactPreview
{
    public static E2eeImpactReport Compute(
        ConferenceE2eeState current,
        TenantPolicy tenant,
        IEnumerable<RunningGateway> gateways,
        IEnumerable<ParticipantClient> participants,
        DateTimeOffset toggleAt)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(gateways);
        ArgumentNullException.ThrowIfNull(participants);
        ConferenceE2eeState after = current.WithHostToggle(on: true, toggleAt);
        var stop = new List<GatewayImpact>();
        var keep = new List<GatewayImpact>();
        foreach (RunningGateway gateway in gateways)
        {
            var request = new GatewayRequest(gateway.Kind, gateway.NeedsDecodedMedia, GatewayPhase.Running);
            var impact = new GatewayImpact(gateway, CapabilityPolicy.Decide(request, after, tenant));
            (impact.WillStop ? stop : keep).Add(impact);
        }

        var cannot = new List<UnsupportedClientFinding>();
        var unknown = new List<UnsupportedClientFinding>();
        foreach (ParticipantClient participant in participants)
        {
            if (E2eeClientAdmission.Check(participant, conferenceIsE2ee: true) is { } finding)
            {
                (finding.Assessment.Support == ClientSupport.Unsupported ? cannot : unknown).Add(finding);
            }
        }

        return new E2eeImpactReport(stop, keep, cannot, unknown, Summarize(stop, cannot, unknown))
        {
            Consequences = ImpactConsequences.Describe(stop),
        };
    }

    private static string Summarize(List<GatewayImpact> stop, List<UnsupportedClientFinding> cannot, List<UnsupportedClientFinding> unknown)
    {
        var text = new StringBuilder("If you turn on end-to-end encryption now: ");
        if (stop.Count == 0)
        {
            text.Append("no server feature will stop");
        }
        else
        {
            text.Append("these will stop: ").AppendJoin(", ", stop.Select(s => s.Gateway.Label));
        }

        text.Append("; ");
        if (cannot.Count == 0)
        {
            text.Append("every recognized participant's client supports it");
        }
        else
        {
            text.Append(cannot.Count.ToString(CultureInfo.InvariantCulture))
                .Append(cannot.Count == 1 ? " participant's client cannot take part (" : " participants' clients cannot take part (")
                .AppendJoin(", ", cannot.Select(c => c.Participant.DisplayName)).Append(')');
        }

        if (unknown.Count > 0)
        {
            text.Append("; ").Append(unknown.Count.ToString(CultureInfo.InvariantCulture))
                .Append(unknown.Count == 1 ? " client could not be checked (" : " clients could not be checked (")
                .AppendJoin(", ", unknown.Select(c => c.Participant.DisplayName)).Append(')');
        }

        return text.Append('.').ToString();
    }
}
