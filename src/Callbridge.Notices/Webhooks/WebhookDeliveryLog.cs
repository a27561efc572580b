namespace Callbridge.Notices.Webhooks;

/// <summary>Delivery records, bounded: the oldest finished record is forgotten past <c>capacity</c>.</summary>
public sealed class WebhookDeliveryLog(int capacity = 4096)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, long), DeliveryRecord> _records = [];
    private readonly Queue<(string, long)> _order = new();

    public void Put(DeliveryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        lock (_gate)
        {
            var key = (record.ConferenceId, record.NoticeId);
            if (_records.TryAdd(key, record))
            {
                _order.Enqueue(key);
                while (_order.Count > capacity)
                {
                    _records.Remove(_order.Dequeue());
                }
            }
            else
            {
                _records[key] = record;
            }
        }
    }

    public DeliveryRecord? Get(string conferenceId, long noticeId)
    {
        lock (_gate)
        {
            return _records.GetValueOrDefault((conferenceId, noticeId));
        }
    }

    /// <summary>The records of one conference, in notice order.</summary>
    public IReadOnlyList<DeliveryRecord> ForConference(string conferenceId)
    {
        lock (_gate)
        {
            return [.. _records.Values.Where(r => string.Equals(r.ConferenceId, conferenceId, StringComparison.Ordinal)).OrderBy(r => r.NoticeId)];
        }
    }
}
