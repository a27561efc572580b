namespace Callbridge.Ice;

/// <summary>How the controlling agent nominates (RFC 8445 §8.1.1; aggressive is RFC 5245 §8.1.1.2, still met in the field).</summary>
public enum IceNominationMode
{
    /// <summary>Check first, then repeat a check on the chosen valid pair with USE-CANDIDATE.</summary>
    Regular,

    /// <summary>USE-CANDIDATE on every check; the first pair that succeeds is used.</summary>
    Aggressive,
}
