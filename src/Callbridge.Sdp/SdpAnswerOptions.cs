namespace Callbridge.Sdp;

/// <summary>Local capabilities and transport parameters for answering an offer.</summary>
public sealed record SdpAnswerOptions
{
    public required string IceUfrag { get; init; }

    public required string IcePwd { get; init; }

    public required SdpFingerprint Fingerprint { get; init; }

    /// <summary>Our DTLS role when the offer says actpass. Active: RFC 8842 §5.3 asks answerers to pick it.</summary>
    public SdpSetupRole Setup { get; init; } = SdpSetupRole.Active;

    public IReadOnlyList<SdpCodecCapability> AudioCodecs { get; init; } =
        [SdpCodecCapability.Opus, SdpCodecCapability.TelephoneEvent(48000), SdpCodecCapability.TelephoneEvent(8000)];

    public IReadOnlyList<SdpCodecCapability> VideoCodecs { get; init; } = [SdpCodecCapability.Vp8];

    /// <summary>Direction wanted for audio sections; null rejects them. A subscriber bot only receives.</summary>
    public SdpDirection? AudioDirection { get; init; } = SdpDirection.RecvOnly;

    public SdpDirection? VideoDirection { get; init; } = SdpDirection.RecvOnly;

    /// <summary>Per-mid override of the wanted direction; a null value rejects that section.</summary>
    public IReadOnlyDictionary<string, SdpDirection?> DirectionByMid { get; init; } = new Dictionary<string, SdpDirection?>();

    /// <summary>RTP header extensions we understand (RFC 8285); others are dropped from the answer.</summary>
    public IReadOnlyList<string> HeaderExtensions { get; init; } =
    [
        "urn:ietf:params:rtp-hdrext:sdes:mid",
        "urn:ietf:params:rtp-hdrext:ssrc-audio-level",
    ];

    public IReadOnlyList<string> IceOptions { get; init; } = ["trickle"];

    /// <summary>Our candidates, written in the first accepted section (the BUNDLE transport).</summary>
    public IReadOnlyList<SdpCandidate> Candidates { get; init; } = [];

    public bool EndOfCandidates { get; init; }

    /// <summary>What we send on audio sections whose answered direction includes sending.</summary>
    public SdpMediaSource? AudioSource { get; init; }

    /// <summary>o= session id; JSEP §5.2.1 asks for a random 63-bit number.</summary>
    public string? SessionId { get; init; }
}
