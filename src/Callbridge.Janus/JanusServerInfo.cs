namespace Callbridge.Janus;

/// <summary>Selected fields of <c>{"janus":"server_info"}</c>.</summary>
/// <param name="Version">Numeric version (1102 for 1.1.2).</param>
/// <param name="VersionString">e.g. "1.1.2".</param>
/// <param name="Plugins">Loaded plugin package names.</param>
/// <param name="Transports">Loaded transport package names.</param>
/// <param name="SessionTimeout">Session timeout in seconds.</param>
public sealed record JanusServerInfo(
    int Version,
    string VersionString,
    IReadOnlyList<string> Plugins,
    IReadOnlyList<string> Transports,
    int SessionTimeout);
