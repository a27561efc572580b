using System.ComponentModel.DataAnnotations;
using Callbridge.Janus.Embedded;

namespace Callbridge.Gateways.Host.Janus;

/// <summary>Which Janus the gateways use. Bound from "Callbridge:Janus".</summary>
public sealed class JanusConnectionOptions : IValidatableObject
{
    public const string SectionName = "Callbridge:Janus";

    /// <summary>Embedded: the host starts a private Janus and stops it on shutdown (the default, for a
    /// single machine and for trying the system). External: an operator-run Janus at <see cref="Url"/>.</summary>
    public JanusMode Mode { get; set; } = JanusMode.Embedded;

    /// <summary>HTTP API of an external Janus, e.g. http://janus.internal:8088/janus.</summary>
    public Uri? Url { get; set; }

    public EmbeddedJanusOptions Embedded { get; set; } = new();

    /// <summary>Where the gateways' own media connections gather ICE candidates.</summary>
    public GatewayIceOptions GatewayIce { get; set; } = new();

    /// <summary>
    /// Audio retransmission between the gateways and Janus (RFC 4585 generic NACK), off as in browsers. See
    /// <see cref="Callbridge.Conference.Janus.JanusConferenceOptions.NackAudio"/>.
    /// </summary>
    public bool NackAudio { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == JanusMode.External && (Url is null || !Url.IsAbsoluteUri))
            yield return new ValidationResult("Url (absolute) is required when Mode is External.", [nameof(Url)]);
        foreach (string address in GatewayIce.Addresses)
        {
            if (!System.Net.IPAddress.TryParse(address, out _))
                yield return new ValidationResult($"GatewayIce.Addresses: '{address}' is not an IP address.", [nameof(GatewayIce) + ".Addresses"]);
        }
        if (Mode == JanusMode.Embedded)
        {
            var results = new List<ValidationResult>();
            Validator.TryValidateObject(Embedded, new ValidationContext(Embedded), results, validateAllProperties: true);
            foreach (ValidationResult r in results)
                yield return new ValidationResult(r.ErrorMessage, r.MemberNames.Select(m => nameof(Embedded) + "." + m));
        }
    }
}

/// <summary>ICE gathering of the gateways' media connections to Janus (not Janus's own ICE).</summary>
public sealed class GatewayIceOptions
{
    /// <summary>Interfaces to gather on (e.g. "eth1" toward Janus); empty for every interface that is up.</summary>
    public List<string> Interfaces { get; set; } = [];

    /// <summary>Addresses to gather on; empty for every address of those interfaces.</summary>
    public List<string> Addresses { get; set; } = [];

    /// <summary>IPv6 candidates too. On by default; a host whose Janus is IPv4-only can turn them off to save checks.</summary>
    public bool EnableIPv6 { get; set; } = true;
}

public enum JanusMode
{
    Embedded,
    External,
}

public sealed class EmbeddedJanusOptions
{
    /// <summary>
    /// Address Janus binds its API to and announces for media. "auto" takes the first non-loopback
    /// IPv4 address of an interface that is up, because Janus never offers loopback ICE candidates.
    /// </summary>
    [Required]
    public string BindAddress { get; set; } = "auto";

    /// <summary>Only interface Janus gathers ICE candidates on (e.g. "eth0"); empty for all.</summary>
    public string? IceInterface { get; set; }

    /// <summary>Where the generated configuration and Janus's log go, under the content root.</summary>
    [Required]
    public string WorkFolder { get; set; } = "data/janus";

    /// <summary>HTTP API port; 0 picks a free one.</summary>
    [Range(0, 65535)]
    public int HttpPort { get; set; }

    /// <summary>
    /// Janus's media ports: one per participant connection, the bridge's included (each phone call publishes
    /// one, each room's shared audio subscription takes one). The default 200 carries about 160 phone calls in
    /// rooms of four, fewer in smaller rooms.
    /// </summary>
    [Range(2, 30000)]
    public int RtpPortCount { get; set; } = JanusServerOptions.DefaultRtpPortCount;

    /// <summary>
    /// Media threads Janus shares among its handles; 0 keeps Janus's own default, a thread per handle. With
    /// many phone calls on few cores, one per core cut Janus's CPU by a quarter and the bridge's too
    /// (docs/performance.md); Janus warns that too few loops for the media delay its delivery.
    /// </summary>
    [Range(0, 256)]
    public int EventLoops { get; set; }

    /// <summary>
    /// Rooms created when the embedded Janus starts, so a newcomer has conferences to try: by default a
    /// plain room and one that requires E2EE. An operator-run Janus is configured by its operator instead.
    /// </summary>
    public List<EmbeddedRoom> Rooms { get; set; } = [];
}

/// <summary>A VideoRoom the host creates in its embedded Janus.</summary>
public sealed class EmbeddedRoom
{
    [Range(1, long.MaxValue)]
    public long Id { get; set; }

    public string Description { get; set; } = "";

    public bool RequireE2ee { get; set; }
}
