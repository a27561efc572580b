namespace Callbridge.Sip.Calls;

/// <summary>Settings of the SIP user agent facing a trunk or phone.</summary>
public sealed record SipUserAgentOptions
{
    /// <summary>User part of our From and Contact URIs.</summary>
    public string User { get; init; } = "callbridge";
    public string? DisplayName { get; init; }
    /// <summary>Digest credentials for 401/407 challenges from a trunk (RFC 3261 §22.2); null: no retry.</summary>
    public string? AuthUser { get; init; }
    public string? AuthPassword { get; init; }
    /// <summary>Option tags we implement (RFC 3261 §8.2.2.3); none by default, so any Require gets 420.</summary>
    public IReadOnlyCollection<string> SupportedExtensions { get; init; } = [];
    /// <summary>Body types we read: SDP only (the bridge negotiates audio with RFC 3264).</summary>
    public IReadOnlyCollection<string> AcceptedContentTypes { get; init; } = ["application/sdp"];
    /// <summary>Methods advertised in Allow (RFC 3261 §20.5).</summary>
    public string Allow { get; init; } = "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO";
    public string UserAgent { get; init; } = "Callbridge";
    /// <summary>An outgoing call not answered in this time is cancelled and reported as no-answer. 60 s: a
    /// common trunk ring timeout, shorter than Timer C's 3 minutes (§16.6).</summary>
    public TimeSpan NoAnswerTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
