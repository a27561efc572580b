namespace Callbridge.Sip.Message;

/// <summary>The outcome of the UAS request checks: 0 when the request may be processed.</summary>
public readonly record struct SipRejection(int StatusCode, string ReasonPhrase, string? Unsupported = null)
{
    public bool IsAccepted => StatusCode == 0;
}
