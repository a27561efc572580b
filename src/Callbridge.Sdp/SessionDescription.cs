namespace Callbridge.Sdp;

/// <summary>A session description (RFC 8866) as WebRTC uses it (RFC 8829): session part and m-sections.</summary>
public sealed class SessionDescription : SdpSection
{
    public int Version { get; set; }

    public SdpOrigin Origin { get; set; } = new("-", "0", "0", "IN", "IP4", "127.0.0.1");

    public string SessionName { get; set; } = "-";

    /// <summary>t= values; JSEP always writes "0 0".</summary>
    public List<string> Timings { get; } = [];

    /// <summary>a=group lines (RFC 5888), BUNDLE among them (RFC 9143).</summary>
    public List<SdpGroup> Groups { get; } = [];

    public List<MediaDescription> Media { get; } = [];

    public SdpGroup? BundleGroup => Groups.Find(g => g.Semantics == "BUNDLE");

    public MediaDescription? FindMedia(string mid) => Media.Find(m => m.Mid == mid);

    public static bool TryParse(string text, out SessionDescription? description, out SdpParseFailure failure, SdpLimits? limits = null) =>
        SdpParser.TryParse(text, limits ?? SdpLimits.Default, out description, out failure);

    /// <summary>Serializes with CRLF line ends (RFC 8866 §5).</summary>
    public override string ToString() => SdpSerializer.Serialize(this);
}
