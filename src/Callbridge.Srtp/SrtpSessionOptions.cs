namespace Callbridge.Srtp;

/// <summary>Per-session settings.</summary>
public sealed record SrtpSessionOptions
{
    /// <summary>
    /// Replay window in packets (RFC 3711 §3.3.2), for inbound sessions. Default 1024: high-bitrate video
    /// is reordered by more than libsrtp's own default of 128 packets on real networks, and a packet
    /// that falls out of the window is dropped as too old. libsrtp accepts 64 to 32767.
    /// </summary>
    public int ReplayWindowSize { get; init; } = 1024;

    /// <summary>
    /// Lets an outbound session protect the same sequence number again, for RTP retransmission of an
    /// identical packet (RFC 4588 is preferred; this is for senders that resend verbatim). Off by default:
    /// protecting a different payload under a reused index reuses keystream.
    /// </summary>
    public bool AllowRepeatTransmission { get; init; }

    public static SrtpSessionOptions Default { get; } = new();
}
