namespace Callbridge.Rtcp;

/// <summary>Which parser a packet found by <see cref="RtcpCompoundEnumerator"/> belongs to.</summary>
public enum RtcpPacketKind
{
    /// <summary>Unknown type or format: read it as <see cref="RawRtcpPacket"/>.</summary>
    Unknown = 0,
    SenderReport,
    ReceiverReport,
    SourceDescription,
    Goodbye,
    ApplicationDefined,
    GenericNack,
    /// <summary>RTPFB FMT 15 (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): kept raw.</summary>
    TransportWideFeedback,
    PictureLossIndication,
    FullIntraRequest,
    /// <summary>PSFB FMT 15 with the "REMB" identifier.</summary>
    ReceiverEstimatedMaxBitrate,
    /// <summary>PSFB FMT 15 that is not REMB: read it as <see cref="RawRtcpPacket"/>.</summary>
    ApplicationLayerFeedback,
}
