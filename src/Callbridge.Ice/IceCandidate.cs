using System.Globalization;
using System.Net;

namespace Callbridge.Ice;

/// <summary>A UDP candidate for component 1 (RTP and RTCP are muxed and BUNDLEd in WebRTC).</summary>
public sealed record IceCandidate(string Foundation, int Component, uint Priority, IPEndPoint EndPoint, IceCandidateType Type)
{
    /// <summary>The a=candidate value (RFC 8839 §5.1) without the "candidate:" prefix's attribute name.</summary>
    public string ToSdpValue() => string.Create(CultureInfo.InvariantCulture,
        $"{Foundation} {Component} udp {Priority} {EndPoint.Address} {EndPoint.Port} typ {TypeName(Type)}");

    public static string TypeName(IceCandidateType type) => type switch
    {
        IceCandidateType.Host => "host",
        IceCandidateType.ServerReflexive => "srflx",
        IceCandidateType.PeerReflexive => "prflx",
        _ => "relay",
    };
}
