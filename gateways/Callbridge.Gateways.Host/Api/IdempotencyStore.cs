using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Callbridge.Gateways.Host.Api;

/// <summary>
/// Remembers the outcome of start requests by (tenant, Idempotency-Key) so a retried request gets the
/// same answer and starts nothing twice, and a key reused for a different body is caught. Entries
/// expire after <see cref="Retention"/>; memory is bounded by <see cref="MaxEntries"/>.
/// </summary>
internal sealed class IdempotencyStore(TimeProvider time)
{
    /// <summary>Clients retry within minutes; a day covers a client that retries after an outage.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<(string Tenant, string Key), Entry> _entries = new();

    internal sealed record Entry(byte[] BodyHash, DateTimeOffset At, Lazy<Task<IResult>> Response);

    /// <summary>
    /// Runs <paramref name="execute"/> once per (tenant, key); a repeat with the same body gets the stored
    /// response, one with another body gets null (a conflict).
    /// </summary>
    public async Task<IResult?> RunOnceAsync(string tenant, string key, ReadOnlyMemory<byte> body, Func<Task<IResult>> execute)
    {
        byte[] hash = SHA256.HashData(body.Span);
        Evict();
        // Only the entry that wins the race runs the request; a concurrent duplicate awaits the same task.
        var candidate = new Entry(hash, time.GetUtcNow(), new Lazy<Task<IResult>>(execute));
        Entry stored = _entries.GetOrAdd((tenant, key), candidate);
        if (!ReferenceEquals(stored, candidate) && !stored.BodyHash.AsSpan().SequenceEqual(hash)) return null;
        try
        {
            return await stored.Response.Value.ConfigureAwait(false);
        }
        catch
        {
            // A request that failed with an exception produced no answer to replay: let a retry run it.
            _entries.TryRemove(new KeyValuePair<(string, string), Entry>((tenant, key), stored));
            throw;
        }
    }

    private void Evict()
    {
        DateTimeOffset cutoff = time.GetUtcNow() - Retention;
        if (_entries.Count < MaxEntries && !_entries.Any(e => e.Value.At < cutoff)) return;
        foreach (var (k, v) in _entries)
        {
            if (v.At < cutoff || _entries.Count >= MaxEntries) _entries.TryRemove(k, out _);
        }
    }
}
