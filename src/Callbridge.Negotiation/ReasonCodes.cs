namespace Callbridge.Negotiation;

/// <summary>
/// The closed set of machine-readable reason codes. They are part of the public contract (API events,
/// webhooks, audit records, SIP Reason text, recording manifests): never rename one, only add.
/// <para>
/// Precedence, first match wins (<see cref="InPrecedenceOrder"/>): an administrative switch beats E2EE
/// (turning E2EE off would not help); a policy the host cannot change beats one the host can; an
/// explicit act of the host beats what participants declared; declarations beat what the detector
/// inferred from the frames. E2EE reasons only apply to gateways that need decoded media.
/// </para>
/// </summary>
public static class ReasonCodes
{
    /// <summary>The tenant switched this feature off (applies with or without E2EE).</summary>
    public const string TenantFeatureDisabled = "tenant.feature_disabled";
    /// <summary>The tenant, or the host's group, requires E2EE for every meeting.</summary>
    public const string TenantE2eeRequired = "tenant.e2ee_required";
    /// <summary>The room is configured to require E2EE.</summary>
    public const string RoomPolicy = "e2ee.room_policy";
    /// <summary>The host turned E2EE on while this gateway was running.</summary>
    public const string EnabledMidCall = "e2ee.enabled_mid_call";
    /// <summary>The host turned E2EE on before this gateway asked to join.</summary>
    public const string EnabledByHost = "e2ee.enabled_by_host";
    /// <summary>At least one participant declared that it sends E2EE media.</summary>
    public const string ParticipantDeclared = "e2ee.participant_declared";
    /// <summary>The media core's detector observed encrypted frames on at least one track.</summary>
    public const string FramesObserved = "e2ee.frames_observed";
    /// <summary>Nothing stands in the way.</summary>
    public const string Ok = "ok";

    /// <summary>Every code, in precedence order (strongest first), <see cref="Ok"/> last.</summary>
    public static IReadOnlyList<string> InPrecedenceOrder { get; } =
    [
        TenantFeatureDisabled, TenantE2eeRequired, RoomPolicy, EnabledMidCall, EnabledByHost,
        ParticipantDeclared, FramesObserved, Ok,
    ];

    /// <summary>One line per code, for documentation and operators.</summary>
    public static string Describe(string code) => code switch
    {
        TenantFeatureDisabled => "The tenant switched this feature off; applies with or without E2EE.",
        TenantE2eeRequired => "The tenant, or the host's group, requires E2EE for every meeting; the host cannot turn it off.",
        RoomPolicy => "The room is configured to require E2EE.",
        EnabledMidCall => "The host turned E2EE on while the gateway was running.",
        EnabledByHost => "The host turned E2EE on before the gateway asked to join.",
        ParticipantDeclared => "At least one participant declared that it sends E2EE media.",
        FramesObserved => "The media core's detector observed encrypted frames on at least one track.",
        Ok => "Nothing stands in the way: the gateway may join or keep running.",
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "Not a reason code."),
    };
}
