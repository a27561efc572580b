using System.Net;
using Callbridge.Dtls;
using Callbridge.Media;

namespace Callbridge.WebRtc;

/// <summary>Configuration of one bot peer connection.</summary>
public sealed class PeerConnectionOptions
{
    /// <summary>Interfaces ICE gathers on (e.g. "cb0"); empty means every interface that is up.</summary>
    public IReadOnlyList<string> Interfaces { get; init; } = [];

    /// <summary>Addresses ICE gathers on; empty means every address of the allowed interfaces.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; init; } = [];

    public bool EnableIPv6 { get; init; } = true;

    /// <summary>Loopback candidates are useless to a remote SFU, so they are off unless asked for.</summary>
    public bool IncludeLoopback { get; init; }

    /// <summary>Our DTLS certificate; a fresh ECDSA one is generated when null (RFC 8827 §6.5: per connection is fine).</summary>
    public DtlsCertificate? Certificate { get; init; }

    /// <summary>Handshake deadline and datagram sizes; the DTLS defaults unless set.</summary>
    public DtlsSrtpOptions Dtls { get; init; } = DtlsSrtpOptions.Default;

    /// <summary>Per-track reordering; 200 ms latency keeps interactive audio usable while absorbing reordering.</summary>
    public JitterBufferOptions JitterBuffer { get; init; } = new();

    /// <summary>
    /// How often receiver reports go out: 1 s, what browsers use for a few streams; RFC 3550 §6.2 allows
    /// intervals below 5 s when the RTCP bandwidth share permits (a few hundred bytes per second here).
    /// </summary>
    public TimeSpan ReceiverReportInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Period of the loop's timer that releases packets held behind a gap: 10 ms, half an Opus frame.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Frames to send and control items waiting for the loop before new sends are refused: 1024 is about
    /// 1 s of a 720p stream, far more than a loop that keeps up ever holds.
    /// </summary>
    public int ReceiveQueueCapacity { get; init; } = 1024;

    /// <summary>
    /// Least time between automatic PLIs for one track (RFC 4585 §6.3.1) while its decoder waits for a key
    /// frame: 500 ms covers a round trip plus the encoder producing the key frame, so one in flight is not
    /// asked for again.
    /// </summary>
    public TimeSpan KeyFrameRequestInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// SRTP datagrams kept while our side of DTLS is still finishing: the peer may send media as soon as it
    /// has the keys, one flight before we do, and the first packets carry the first key frame. 256 is
    /// about half a second of 720p video.
    /// </summary>
    public int EarlyMediaCapacity { get; init; } = 256;

    /// <summary>When and how often lost packets of a received track are asked for again (RFC 4585 §6.2.1 generic NACK).</summary>
    public NackOptions Nack { get; init; } = new();

    /// <summary>
    /// Retransmission for audio, both ways: our offers say we answer NACKs for our Opus track (a=rtcp-fb nack),
    /// and received audio tracks are NACKed when the remote offer says it answers them. Off: Opus conceals a lost
    /// 20 ms frame better than a jitter buffer can wait a round trip for it, browsers neither offer nor send audio
    /// NACKs, and an SFU told that a publisher answers them tracks every audio packet's sequence number for it
    /// (Janus walks a list per packet). A NACK that comes anyway is still answered from the history.
    /// </summary>
    public bool NackAudio { get; init; }

    /// <summary>
    /// Sent packets kept to answer NACKs: 512 is about 10 s of 20 ms Opus, far beyond the 1 s
    /// <see cref="RetransmissionMaxAge"/> that bounds what is still worth resending.
    /// </summary>
    public int RetransmissionCapacity { get; init; } = 512;

    /// <summary>Older packets are not resent: a receiver's jitter buffer (200 ms here, similar in browsers) has moved on.</summary>
    public TimeSpan RetransmissionMaxAge { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>RTCP CNAME (RFC 7022) of what we send.</summary>
    public string Cname { get; init; } = "callbridge";

    /// <summary>
    /// While datagrams arrive less than this apart, the ICE receive thread sleeps this long and then handles
    /// every queued datagram in one wake (see <see cref="Ice.IceAgentOptions.ReceiveBatchInterval"/>). 5 ms
    /// turns the ~1,000 wakes per second of ten audio + video streams into ~200, and adds at most 5 ms
    /// to dense streams only: a tenth of a 20 ms Opus frame, far inside any jitter buffer. Zero wakes per datagram.
    /// </summary>
    public TimeSpan ReceiveBatchInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Packetize, protect and send each frame on the thread that calls <see cref="PeerConnection.TrySendOpus(ReadOnlySpan{byte}, int)"/>
    /// or <see cref="PeerConnection.TrySendVp8"/>, under the media lock, instead of queueing a copy for the
    /// loop: no copy and no thread-pool hop per frame, and the caller pays for SRTP and the socket send. Off
    /// by default, so a caller that paces many connections from one clock thread keeps its timing.
    /// </summary>
    public bool SendOnCallerThread { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
