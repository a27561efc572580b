namespace Callbridge.Notices.Webhooks;

/// <summary>The delivery of one notice to the webhook: every attempt and the final state.</summary>
public sealed record DeliveryRecord(string ConferenceId, long NoticeId, string NoticeType, DeliveryState State, IReadOnlyList<DeliveryAttempt> Attempts);
