using System.ComponentModel.DataAnnotations;

namespace Callbridge.Gateways.Host.Gateways;

/// <summary>How the host supervises gateways, bound from "Callbridge:Gateways".</summary>
public sealed class GatewaySupervisorOptions
{
    public const string SectionName = "Callbridge:Gateways";

    /// <summary>
    /// How long a factory may take to bring a gateway into the conference. 30 s: joining is a few signalling
    /// round trips plus ICE and DTLS (about a second on a LAN); a dial-out also waits for the callee to answer
    /// in the gateway itself, after it joined.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a stop (DELETE, conference ended) waits for the gateway to finalize before it is disposed.
    /// 15 s: sealing a recording and writing its manifest or hanging up a call fits well inside.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// On host shutdown, how long every gateway together has to stop and finalize before the rest are disposed.
    /// 10 s keeps the whole stop inside the host's default 30 s shutdown timeout with Janus stopping after.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a gateway has to confirm a leave-now order before it is force-stopped (the coordinator's deadline).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan LeaveConfirmDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often conferences with running gateways are probed on the SFU to notice that one ended.
    /// 5 s: a conference's end is news for the host, not an emergency; gateways see it at once themselves.
    /// Zero turns probing off.
    /// </summary>
    public TimeSpan ConferenceProbeInterval { get; set; } = TimeSpan.FromSeconds(5);
}
