using Callbridge.Media.Clock;
using Callbridge.PhoneMedia;
using System.ComponentModel.DataAnnotations;

namespace Callbridge.Gateways.Sip;

/// <summary>The bridge's settings (configuration section, usually "SipBridge"); README.md documents each.</summary>
public sealed class SipBridgeOptions : IValidatableObject
{
    /// <summary>IP address the SIP listener (UDP and TCP) and the RTP sockets bind to. An IP literal: the bridge
    /// does no DNS (RFC 3263 resolution is left to the trunk's outbound proxy).</summary>
    [Required]
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>5060: the SIP default port (RFC 3261 §19.1.2).</summary>
    [Range(0, 65535)]
    public int ListenPort { get; set; } = 5060;

    /// <summary>Even RTP ports are taken from this range; 0/0 lets the OS choose (tests).</summary>
    [Range(0, 65535)]
    public int RtpPortMin { get; set; }

    [Range(0, 65535)]
    public int RtpPortMax { get; set; }

    /// <summary>Called number (user part of the Request-URI) -> conference, tenant and PIN.</summary>
    public Dictionary<string, DialInNumberOptions> DialIn { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Wrong PINs a caller may enter in one call before it ends. 3: what phone conferencing services use.</summary>
    [Range(1, 10)]
    public int PinAttemptsPerCall { get; set; } = 3;

    /// <summary>Wrong PINs from one caller number (across calls) within <see cref="LockoutWindow"/> that lock it out.</summary>
    [Range(1, 100)]
    public int LockoutAfterWrongPins { get; set; } = 3;

    /// <summary>15 min: long enough to make guessing a 6-digit PIN impractical, short enough for a caller who mistyped.</summary>
    public TimeSpan LockoutWindow { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Silence after which a PIN entry without '#' counts as finished. 10 s, as ITU-T E.182-style IVRs do.</summary>
    public TimeSpan PinDigitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>In-dialog OPTIONS interval (RFC 3261 §11) that detects a caller lost without BYE; zero turns it off.</summary>
    public TimeSpan KeepaliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    public TrunkOptions Trunk { get; set; } = new();

    public DialOutOptions DialOut { get; set; } = new();

    /// <summary>The clock that paces every call's 20 ms frames: its threads and their priority.</summary>
    public MediaClockOptions MediaClock { get; set; } = new();

    /// <summary>
    /// The audio path between each call and its room: the caller's Opus encoder (application, bitrate, complexity,
    /// packet duration) and the room's queues. The defaults are the measured ones (docs/performance.md).
    /// </summary>
    public PhoneConferenceAudioOptions ConferenceAudio { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!System.Net.IPAddress.TryParse(ListenAddress, out _))
            yield return new ValidationResult("ListenAddress must be an IP address.", [nameof(ListenAddress)]);
        if (RtpPortMin > RtpPortMax || (RtpPortMin == 0) != (RtpPortMax == 0))
            yield return new ValidationResult("RtpPortMin..RtpPortMax must be a range, or both 0.", [nameof(RtpPortMin)]);
        foreach (var (number, entry) in DialIn)
        {
            if (string.IsNullOrWhiteSpace(entry.ConferenceId))
                yield return new ValidationResult($"DialIn:{number}: ConferenceId is required.", [nameof(DialIn)]);
            if (entry.Pin is { } pin && (pin.Length is < 4 or > 12 || !pin.All(char.IsAsciiDigit)))
                yield return new ValidationResult($"DialIn:{number}: Pin must be 4 to 12 digits.", [nameof(DialIn)]);
        }
        if (Trunk.OutboundProxy is { } proxy && !System.Net.IPEndPoint.TryParse(proxy, out _))
            yield return new ValidationResult("Trunk:OutboundProxy must be ip:port.", [nameof(Trunk)]);
        foreach (var pattern in DialOut.AllowedDestinations)
            if (!DestinationPattern.TryParse(pattern, out _))
                yield return new ValidationResult($"DialOut:AllowedDestinations: '{pattern}' is not a pattern (+, digits, X, trailing *).", [nameof(DialOut)]);
        if (DialOut.MaxConcurrentCallsPerTenant < 1)
            yield return new ValidationResult("DialOut:MaxConcurrentCallsPerTenant must be at least 1.", [nameof(DialOut)]);
        if (MediaClock.Period != TimeSpan.FromMilliseconds(20))
            yield return new ValidationResult("MediaClock:Period must be 00:00:00.020: phone media goes in 20 ms packets.", [nameof(MediaClock)]);
        if (MediaClock.Threads is < 0 or > 256)
            yield return new ValidationResult("MediaClock:Threads must be 0 (one per processor) to 256.", [nameof(MediaClock)]);
        if (MediaClock.Nice is < -20 or > 19)
            yield return new ValidationResult("MediaClock:Nice must be -20 to 19.", [nameof(MediaClock)]);
        foreach (string problem in ConferenceAudioProblems(ConferenceAudio))
            yield return new ValidationResult("ConferenceAudio:" + problem, [nameof(ConferenceAudio)]);
    }

    private static IEnumerable<string> ConferenceAudioProblems(PhoneConferenceAudioOptions a)
    {
        if (!Enum.IsDefined(a.OpusApplication))
            yield return "OpusApplication must be Voip, Audio or RestrictedLowDelay.";
        if (a.OpusComplexity is < 0 or > 10)
            yield return "OpusComplexity must be 0 to 10.";
        // RFC 6716 §2.1.1: Opus spans 6 to 510 kbit/s.
        if (a.OpusBitrate is < 6000 or > 510000)
            yield return "OpusBitrate must be 6000 to 510000 bit/s.";
        if (!Enum.IsDefined(a.OpusMaxBandwidth))
            yield return "OpusMaxBandwidth must be Narrowband, Mediumband, Wideband, SuperWideband or Fullband.";
        if (a.OpusPacketMilliseconds is not (20 or 40 or 60))
            yield return "OpusPacketMilliseconds must be 20, 40 or 60.";
        if (a.MaxTracks is < 1 or > 64)
            yield return "MaxTracks must be 1 to 64.";
        if (a.MaxQueuedFrames is < 1 or > 50)
            yield return "MaxQueuedFrames must be 1 to 50 (20 ms each).";
    }
}

/// <summary>One dial-in number.</summary>
public sealed class DialInNumberOptions
{
    public string ConferenceId { get; set; } = string.Empty;

    /// <summary>Whose policy applies (the negotiator's tenant input).</summary>
    public string TenantId { get; set; } = "default";

    /// <summary>Digits the caller enters, ended with '#'; null admits without a PIN.</summary>
    public string? Pin { get; set; }
}

/// <summary>The SIP trunk calls go out through.</summary>
public sealed class TrunkOptions
{
    /// <summary>ip:port every dial-out INVITE is sent to (RFC 3261 §8.1.2 outbound proxy).</summary>
    public string? OutboundProxy { get; set; }

    /// <summary>Host part of the Request-URI for a number (sip:+15550100@Domain); the proxy address when null.</summary>
    public string? Domain { get; set; }

    /// <summary>"udp" or "tcp".</summary>
    public string Transport { get; set; } = "udp";

    /// <summary>Digest credentials (MD5 or SHA-256, RFC 8760) answering the trunk's 401/407.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>User part of our From (the caller id the trunk shows, if it allows it).</summary>
    public string FromUser { get; set; } = "callbridge";
}

/// <summary>Dial-out policy.</summary>
public sealed class DialOutOptions
{
    /// <summary>Toll-fraud protection: only destinations matching one pattern are called. Empty: nothing is.</summary>
    public List<string> AllowedDestinations { get; set; } = [];

    /// <summary>Concurrent dial-out calls per tenant. 4: a meeting rarely dials more phones at once; raise per deployment.</summary>
    public int MaxConcurrentCallsPerTenant { get; set; } = 4;

    /// <summary>Ringing longer than this is cancelled and reported as no-answer. 45 s: most trunks stop ringing at 60 s.</summary>
    public TimeSpan NoAnswerTimeout { get; set; } = TimeSpan.FromSeconds(45);
}
