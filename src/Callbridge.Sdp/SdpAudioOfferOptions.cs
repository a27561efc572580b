namespace Callbridge.Sdp;

/// <summary>Parameters of a publish offer: one sendonly Opus m-section, BUNDLEd on its own.</summary>
public sealed record SdpAudioOfferOptions
{
    public required string IceUfrag { get; init; }

    public required string IcePwd { get; init; }

    public required SdpFingerprint Fingerprint { get; init; }

    public required SdpMediaSource Source { get; init; }

    public string Mid { get; init; } = "0";

    /// <summary>111 is the number Chromium and Janus use for Opus, which keeps logs comparable.</summary>
    public int OpusPayloadType { get; init; } = 111;

    public string OpusFmtp { get; init; } = "minptime=10;useinbandfec=1";

    /// <summary>RFC 4733 events at the Opus clock (Chromium's 110); null leaves them out.</summary>
    public int? TelephoneEventPayloadType { get; init; } = 110;

    /// <summary>Header extensions and their ids: mid (RFC 9143 §15) and audio level (RFC 6464).</summary>
    public IReadOnlyList<SdpExtmap> HeaderExtensions { get; init; } =
    [
        new SdpExtmap(1, null, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
        new SdpExtmap(4, null, "urn:ietf:params:rtp-hdrext:sdes:mid"),
    ];

    public IReadOnlyList<SdpCandidate> Candidates { get; init; } = [];

    public bool EndOfCandidates { get; init; }

    public string? SessionId { get; init; }
}
