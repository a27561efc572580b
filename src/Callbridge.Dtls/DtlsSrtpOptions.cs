using Callbridge.Srtp;

namespace Callbridge.Dtls;

/// <summary>DTLS-SRTP settings; the comments give the reason for each default.</summary>
public sealed record DtlsSrtpOptions
{
    /// <summary>
    /// SRTP profiles in order of preference: offered in this order as a client (RFC 5764 §4.1.1), and the
    /// first one the client also offers is chosen as a server. GCM first: one pass of AEAD instead of
    /// AES-CM + HMAC and a stronger tag; AES-CM-80 is the profile every WebRTC peer must support (RFC 8827 §6.5).
    /// </summary>
    public IReadOnlyList<SrtpProfile> Profiles { get; init; } =
        [SrtpProfile.AeadAes128Gcm, SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.Aes128CmHmacSha1_32];

    /// <summary>
    /// Whole-handshake limit. Retransmission backs off from 1 s doubling (RFC 6347 §4.2.4.1), so 20 s allows
    /// four lost flights in a row before giving up.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Largest datagram we send. 1200 bytes stays under the path MTU of IPv6 and of TURN/VPN tunnels, which is
    /// why WebRTC stacks use it; DTLS fragments handshake messages to fit (RFC 6347 §4.1.1.1).
    /// </summary>
    public int MaxSendDatagramSize { get; init; } = 1200;

    /// <summary>Largest datagram we accept: an Ethernet MTU of UDP payload (1500 - 20 - 8) rounded up to 1500.</summary>
    public int MaxReceiveDatagramSize { get; init; } = 1500;

    /// <summary>Datagrams queued between the ICE demultiplexer and the DTLS thread before newer ones are dropped.</summary>
    public int ReceiveQueueCapacity { get; init; } = 128;

    public static DtlsSrtpOptions Default { get; } = new();
}
