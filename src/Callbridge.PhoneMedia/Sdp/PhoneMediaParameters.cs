using System.Net;
using Callbridge.Sdp;

namespace Callbridge.PhoneMedia;

/// <summary>What an offer/answer exchange settled for the phone leg.</summary>
/// <param name="Remote">Where the peer said it receives media (c= and m= port); symmetric RTP may later latch elsewhere.</param>
/// <param name="Codec">The G.711 law both sides use.</param>
/// <param name="PayloadType">The number the peer used for <paramref name="Codec"/> (normally its static type).</param>
/// <param name="TelephoneEventPayloadType">RFC 4733 telephone-event at 8000 Hz, or null when the peer has none (SIP INFO then).</param>
/// <param name="Direction">Our direction: SendRecv, RecvOnly while the peer holds us (its sendonly), Inactive.</param>
public sealed record PhoneMediaParameters(
    IPEndPoint Remote,
    PhoneCodec Codec,
    int PayloadType,
    int? TelephoneEventPayloadType,
    SdpDirection Direction)
{
    // Bit tests rather than Enum.HasFlag: HasFlag boxes in unoptimized code, and these run every frame.

    /// <summary>True when we may send media (RFC 3264 §6.1).</summary>
    public bool CanSend => (Direction & SdpDirection.SendOnly) != 0;

    /// <summary>True when the peer sends and we take its media.</summary>
    public bool CanReceive => (Direction & SdpDirection.RecvOnly) != 0;
}
