using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>
/// What this process allocates, by type: the runtime's allocation-tick events (one per about 100 KB allocated,
/// naming the type whose allocation crossed it), counted while <see cref="Enabled"/> is set. A type that
/// carries most ticks carries most of the bytes.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, int> _ticks = new(StringComparer.Ordinal);

    public volatile bool Enabled;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!Enabled || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.Payload is null)
        {
            return;
        }

        int index = eventData.PayloadNames?.IndexOf("TypeName") ?? -1;
        string type = index >= 0 ? eventData.Payload[index]?.ToString() ?? "?" : "?";
        _ticks.AddOrUpdate(type, 1, (_, n) => n + 1);
    }

    public string Top(int count) => string.Join(", ", _ticks.OrderByDescending(t => t.Value).Take(count)
        .Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value}")));
}
