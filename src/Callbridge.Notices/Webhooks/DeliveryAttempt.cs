namespace Callbridge.Notices.Webhooks;

/// <summary>One HTTP attempt.</summary>
/// <param name="StatusCode">The HTTP status, or null when none came back (timeout, network error).</param>
/// <param name="Error">"timeout", or the network error's message; null when a status came back.</param>
/// <param name="RetryIn">The wait chosen before the next attempt; null when this was the last.</param>
public sealed record DeliveryAttempt(int Number, DateTimeOffset StartedAt, int? StatusCode, string? Error, TimeSpan Latency, TimeSpan? RetryIn);
