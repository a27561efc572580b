namespace Callbridge.Sdp;

/// <summary>A codec we can send or receive, matched against offers by name, clock rate and channels (RFC 3264 §6.1).</summary>
public sealed record SdpCodecCapability(string Name, int ClockRate, int? Channels = null, string? Fmtp = null)
{
    /// <summary>rtcp-fb values we honour for this codec ("nack", "nack pli", "ccm fir", ...).</summary>
    public IReadOnlyList<string> RtcpFeedback { get; init; } = [];

    /// <summary>Opus as WebRTC negotiates it (RFC 7587 §7): 48000/2; FEC on, 10 ms minimum packets, Chromium's defaults.</summary>
    public static SdpCodecCapability Opus { get; } = new("opus", 48000, 2, "minptime=10;useinbandfec=1");

    /// <summary>VP8 (RFC 7741 §6.1) with the feedback a receiver needs for loss recovery.</summary>
    public static SdpCodecCapability Vp8 { get; } = new("VP8", 90000) { RtcpFeedback = ["nack", "nack pli", "ccm fir"] };

    /// <summary>RFC 4733 telephone events at the audio clock; events 0-15 are the DTMF digits.</summary>
    public static SdpCodecCapability TelephoneEvent(int clockRate) => new("telephone-event", clockRate, null, "0-15");

    public bool Matches(SdpRtpMap offered, bool audio) =>
        string.Equals(Name, offered.EncodingName, StringComparison.OrdinalIgnoreCase)
        && ClockRate == offered.ClockRate
        // RFC 8866 §6.6: for audio, an absent channel count means 1.
        && (!audio || (Channels ?? 1) == (offered.Channels ?? 1));
}
