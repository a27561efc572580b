using Callbridge.Negotiation;

namespace Callbridge.Negotiation.Tests;

/// <summary>
/// The decision written as a table, independently of <see cref="CapabilityPolicy"/>'s if-chain. The rows
/// are mutually exclusive (a test checks that exactly one row matches every case), so their order
/// does not matter: precedence is spelled out in each row's conditions.
/// "*" matches anything; "a|b" either value; ">0" any positive count.
/// </summary>
internal static class DecisionOracle
{
    //  disabled  needs  tenantE2ee               room   toggle        phase   declared observed  => reason
    private static readonly (string Disabled, string Needs, string Tenant, string Room, string Toggle, string Phase, string Declared, string Observed, string Reason)[] Rows =
    [
        ("yes", "*",   "*",                   "*",   "*",               "*",    "*",  "*",  "tenant.feature_disabled"),
        ("no",  "no",  "*",                   "*",   "*",               "*",    "*",  "*",  "ok"),
        ("no",  "yes", "Tenant|Group|Both",   "*",   "*",               "*",    "*",  "*",  "tenant.e2ee_required"),
        ("no",  "yes", "None",                "yes", "*",               "*",    "*",  "*",  "e2ee.room_policy"),
        ("no",  "yes", "None",                "no",  "TurnedOn",        "Running",     "*",  "*",  "e2ee.enabled_mid_call"),
        ("no",  "yes", "None",                "no",  "TurnedOn",        "AboutToJoin", "*",  "*",  "e2ee.enabled_by_host"),
        ("no",  "yes", "None",                "no",  "NeverToggled|TurnedOff", "*",    ">0", "*",  "e2ee.participant_declared"),
        ("no",  "yes", "None",                "no",  "NeverToggled|TurnedOff", "*",    "0",  ">0", "e2ee.frames_observed"),
        ("no",  "yes", "None",                "no",  "NeverToggled|TurnedOff", "*",    "0",  "0",  "ok"),
    ];

    //  reason  phase  => outcome
    private static readonly (string Reason, string Phase, CapabilityOutcome Outcome)[] Outcomes =
    [
        ("ok", "*",           CapabilityOutcome.Allow),
        ("!ok", "AboutToJoin", CapabilityOutcome.Refuse),
        ("!ok", "Running",     CapabilityOutcome.LeaveNow),
    ];

    public static int MatchingRows(DecisionSpace.Case c) => Rows.Count(r => Matches(r, c));

    public static string Reason(DecisionSpace.Case c) => Rows.Single(r => Matches(r, c)).Reason;

    public static CapabilityOutcome Outcome(DecisionSpace.Case c)
    {
        string reason = Reason(c);
        return Outcomes.Single(o => (o.Reason == "ok" ? reason == "ok" : reason != "ok") && Is(o.Phase, c.Phase.ToString())).Outcome;
    }

    private static bool Matches((string Disabled, string Needs, string Tenant, string Room, string Toggle, string Phase, string Declared, string Observed, string Reason) r, DecisionSpace.Case c) =>
        Is(r.Disabled, YesNo(c.FeatureDisabled)) && Is(r.Needs, YesNo(c.NeedsMedia)) && Is(r.Tenant, c.TenantRequires.ToString())
        && Is(r.Room, YesNo(c.RoomRequires)) && Is(r.Toggle, c.Toggle.ToString()) && Is(r.Phase, c.Phase.ToString())
        && Count(r.Declared, c.Declared) && Count(r.Observed, c.Observed);

    private static string YesNo(bool b) => b ? "yes" : "no";

    private static bool Is(string pattern, string value) => pattern == "*" || pattern.Split('|').Contains(value);

    private static bool Count(string pattern, int value) => pattern switch
    {
        "*" => true,
        ">0" => value > 0,
        _ => int.Parse(pattern, System.Globalization.CultureInfo.InvariantCulture) == value,
    };
}
