namespace Callbridge.Notices.Webhooks;

/// <summary>Where and how notices are posted. Times are on the injected <see cref="TimeProvider"/>.</summary>
public sealed class WebhookOptions
{
    public required Uri Endpoint { get; init; }

    /// <summary>The shared HMAC key (at least 32 random bytes is the advice given to tenants).</summary>
    public required byte[] Secret { get; init; }

    /// <summary>Attempts per notice, the first included. 8 with the defaults below spans about 4 minutes of
    /// backoff: long enough to ride out a receiver's restart, short enough not to hold the conference's
    /// later notices (delivered in order) behind one dead receiver for long.</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>Backoff before the second attempt; doubled each time. 1 s.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Ceiling of the doubled backoff. 2 minutes.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>One attempt's limit, from sending to the response headers. 10 s: a receiver is expected to
    /// acknowledge and queue, not to process inline.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest Retry-After (on 429) honoured; a longer one ends the delivery as given up. 10 minutes.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Notices waiting per conference before new ones are refused (and logged as such). 1024.</summary>
    public int QueueCapacity { get; init; } = 1024;
}
