using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>
/// Which allocations spend the collector's budget: the runtime's allocation-tick events (one per about 100 KB of
/// allocation blocks handed to threads, naming the type whose allocation took the block that crossed it), counted
/// while <see cref="Enabled"/> is set. Read them as "who takes blocks", not "whose bytes": a thread that allocates
/// one small object between two collections takes a whole block for it, so types allocated first on rarely
/// allocating threads (one per connection) are counted far beyond their bytes.
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
