namespace Callbridge.Notices.Webhooks;

public enum DeliveryState
{
    Pending,
    /// <summary>A 2xx was received.</summary>
    Delivered,
    /// <summary>A final 4xx (not 429), a redirect, or a Retry-After beyond the limit: retrying cannot help.</summary>
    Rejected,
    /// <summary>Every attempt failed with 5xx, 429, a timeout or a network error.</summary>
    GaveUp,
    /// <summary>The conference's queue was full: never attempted.</summary>
    Dropped,
}
