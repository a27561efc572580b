namespace Callbridge.Sdp;

/// <summary>An m-section (RFC 8866 §5.14) with the attributes WebRTC negotiates per media.</summary>
public sealed class MediaDescription : SdpSection
{
    /// <summary>audio, video, application, ...</summary>
    public string Kind { get; set; } = "audio";

    /// <summary>0 marks a rejected or bundle-only section (RFC 8829 §5.2.1, RFC 9143 §7.1.3).</summary>
    public int Port { get; set; } = 9;

    public int? PortCount { get; set; }

    public string Protocol { get; set; } = "UDP/TLS/RTP/SAVPF";

    /// <summary>Formats from the m= line in order: payload types for RTP, "webrtc-datachannel" for SCTP.</summary>
    public List<string> Formats { get; } = [];

    public string? Mid { get; set; }

    public bool RtcpMux { get; set; }

    public bool RtcpMuxOnly { get; set; }

    public bool RtcpRsize { get; set; }

    public List<SdpRtpMap> RtpMaps { get; } = [];

    public List<SdpFmtp> Fmtps { get; } = [];

    public List<SdpRtcpFeedback> RtcpFeedback { get; } = [];

    public List<SdpSsrcGroup> SsrcGroups { get; } = [];

    public List<SdpSsrc> Ssrcs { get; } = [];

    public List<SdpMsid> Msids { get; } = [];

    public List<SdpCandidate> Candidates { get; } = [];

    public bool EndOfCandidates { get; set; }

    public bool IsRejected => Port == 0 && !OtherAttributes.Exists(a => a.Name == "bundle-only");

    public SdpRtpMap? FindRtpMap(int payloadType) => RtpMaps.Find(r => r.PayloadType == payloadType);

    public SdpFmtp? FindFmtp(int payloadType) => Fmtps.Find(f => f.PayloadType == payloadType);

    /// <summary>Feedback for one payload type, including "*" entries (RFC 4585 §4.2).</summary>
    public IEnumerable<SdpRtcpFeedback> FeedbackFor(int payloadType)
    {
        string pt = payloadType.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return RtcpFeedback.Where(f => f.PayloadType == pt || f.PayloadType == "*");
    }
}
