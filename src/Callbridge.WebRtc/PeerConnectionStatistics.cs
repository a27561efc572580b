namespace Callbridge.WebRtc;

/// <summary>Counters of a connection's datagram path, for diagnosis and tests.</summary>
/// <param name="QueueDrops">SRTP/SRTCP datagrams dropped unread: larger than the receive buffer.</param>
public readonly record struct PeerConnectionStatistics(
    long RtpReceived,
    long RtcpReceived,
    long SrtpFailures,
    long Unrouted,
    long QueueDrops,
    long RtpSent,
    long RtcpSent,
    long PliSent,
    long SenderReportsReceived,
    long NacksSent = 0,
    long NacksReceived = 0,
    long Retransmitted = 0);
