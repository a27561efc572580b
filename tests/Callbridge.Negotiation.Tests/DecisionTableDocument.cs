using System.Text;
using Callbridge.Negotiation;

namespace Callbridge.Negotiation.Tests;

/// <summary>Renders docs/decision-table.md from what <see cref="CapabilityPolicy"/> decides.</summary>
internal static class DecisionTableDocument
{
    public const string RelativePath = "docs/decision-table.md";

    public static string Render()
    {
        var md = new StringBuilder();
        md.Append("# Capability decision table\n\n");
        md.Append("Generated from `Callbridge.Negotiation.CapabilityPolicy` by `DecisionTableDocument` in\n");
        md.Append("`tests/Callbridge.Negotiation.Tests`. A test fails when this file differs from what the code decides;\n");
        md.Append("regenerate with `CALLBRIDGE_WRITE_DECISION_TABLE=1 dotnet test tests/Callbridge.Negotiation.Tests`.\n\n");
        md.Append("## Reason codes (stable, machine-readable), in precedence order\n\n");
        md.Append("The first code whose condition holds is the decision's reason. An administrative switch beats E2EE\n");
        md.Append("(turning E2EE off would not help); a policy the host cannot change beats one the host can; an explicit\n");
        md.Append("act of the host beats what participants declared; declarations beat what the detector inferred.\n");
        md.Append("E2EE reasons apply only to gateways that need decoded media. A host toggle *off* cancels no other\n");
        md.Append("signal: declared or observed encryption still refuses, because a gateway never takes ciphertext as media.\n\n");
        md.Append("| # | code | meaning |\n|---|---|---|\n");
        int rank = 1;
        foreach (string code in ReasonCodes.InPrecedenceOrder)
        {
            md.Append("| ").Append(rank++).Append(" | `").Append(code).Append("` | ").Append(ReasonCodes.Describe(code)).Append(" |\n");
        }

        md.Append("\nOutcome: `ok` gives **Allow**; any other reason gives **Refuse** when the gateway is about to join and\n");
        md.Append("**LeaveNow** when it is running.\n\n");
        md.Append("## Every combination\n\n");
        md.Append("Counts are shown as classes: 0 or 1+ (any positive count decides the same; the tests also check 7).\n");
        md.Append("Columns: kind; needs decoded media; phase; feature disabled by tenant; E2EE required by tenant policy\n");
        md.Append("(none, tenant, group, both); room requires E2EE; host toggle; participants declared E2EE; tracks observed\n");
        md.Append("encrypted; outcome; reason; alternative offered.\n\n");
        md.Append("| kind | media | phase | disabled | tenant e2ee | room | toggle | declared | observed | outcome | reason | alternative |\n");
        md.Append("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        foreach (DecisionSpace.Case c in DecisionSpace.All([0, 1]))
        {
            CapabilityDecision d = CapabilityPolicy.Decide(c.Gateway, c.E2ee, c.Tenant);
            md.Append("| ").Append(c.Kind)
              .Append(" | ").Append(c.NeedsMedia ? "yes" : "no")
              .Append(" | ").Append(c.Phase)
              .Append(" | ").Append(c.FeatureDisabled ? "yes" : "no")
              .Append(" | ").Append(c.TenantRequires.ToString().ToLowerInvariant())
              .Append(" | ").Append(c.RoomRequires ? "yes" : "no")
              .Append(" | ").Append(c.Toggle)
              .Append(" | ").Append(c.Declared == 0 ? "0" : "1+")
              .Append(" | ").Append(c.Observed == 0 ? "0" : "1+")
              .Append(" | ").Append(d.Outcome)
              .Append(" | `").Append(d.ReasonCode).Append('`')
              .Append(" | ").Append(d.Alternative?.Code ?? "-")
              .Append(" |\n");
        }

        return md.ToString();
    }
}
