using Callbridge.Notices.Webhooks;

namespace Callbridge.Gateways.Host.Notices;

/// <summary>A webhook delivery record as the API shows it: states as words, durations in milliseconds.</summary>
internal sealed record DeliveryView(long NoticeId, string NoticeType, string State, IReadOnlyList<DeliveryView.Attempt> Attempts)
{
    internal sealed record Attempt(int Number, DateTimeOffset StartedAt, int? StatusCode, string? Error, double LatencyMs, double? RetryInMs);

    public static DeliveryView From(DeliveryRecord record) => new(record.NoticeId, record.NoticeType, record.State.ToString(),
        [.. record.Attempts.Select(a => new Attempt(a.Number, a.StartedAt, a.StatusCode, a.Error, a.Latency.TotalMilliseconds, a.RetryIn?.TotalMilliseconds))]);
}
