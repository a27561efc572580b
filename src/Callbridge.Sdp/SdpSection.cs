namespace Callbridge.Sdp;

/// <summary>What the session part and media sections share: connection, bandwidth, ICE/DTLS attributes, extmap, direction, the rest.</summary>
public abstract class SdpSection
{
    public List<SdpConnection> Connections { get; } = [];

    public List<SdpBandwidth> Bandwidths { get; } = [];

    public string? IceUfrag { get; set; }

    public string? IcePwd { get; set; }

    /// <summary>a=ice-options tokens (RFC 8839 §5.6), e.g. "trickle".</summary>
    public List<string> IceOptions { get; } = [];

    public bool IceLite { get; set; }

    public List<SdpFingerprint> Fingerprints { get; } = [];

    public SdpSetupRole? Setup { get; set; }

    public List<SdpExtmap> Extmaps { get; } = [];

    public bool ExtmapAllowMixed { get; set; }

    public SdpDirection? Direction { get; set; }

    /// <summary>Lines other than a= kept as they came (i=, k=, and at session level u=, e=, p=, r=, z=).</summary>
    public List<KeyValuePair<char, string>> OtherLines { get; } = [];

    /// <summary>Attributes without a typed model, in order: nothing from the input is lost.</summary>
    public List<SdpAttribute> OtherAttributes { get; } = [];

    public SdpAttribute? FindAttribute(string name) => OtherAttributes.Find(a => a.Name == name);
}
