namespace Callbridge.Sdp;

/// <summary>What we send in one m-section: its SSRC, RTCP CNAME and msid (RFC 8830) stream and track ids.</summary>
public sealed record SdpMediaSource(uint Ssrc, string Cname, string StreamId, string TrackId);
