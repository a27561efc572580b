using System.Net;

namespace Callbridge.Ice;

/// <summary>
/// Receives a non-STUN datagram (DTLS, RTP/RTCP by RFC 7983) from a validated remote address. The span
/// is the agent's receive buffer, valid only during the call: process or copy it before returning.
/// </summary>
public delegate void IceDatagramHandler(ReadOnlySpan<byte> datagram, IPEndPoint remote);
