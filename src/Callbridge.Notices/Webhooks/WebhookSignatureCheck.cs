namespace Callbridge.Notices.Webhooks;

public enum WebhookSignatureCheck
{
    Valid,
    Missing,
    Malformed,
    TimestampOutOfTolerance,
    Mismatch,
}
