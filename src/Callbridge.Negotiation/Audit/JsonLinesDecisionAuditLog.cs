using System.Text;
using System.Text.Json;

namespace Callbridge.Negotiation.Audit;

/// <summary>
/// Append-only JSON Lines file: one entry per line, flushed to the OS on every append so a process crash
/// loses nothing that <see cref="Append"/> returned from. The file is never rewritten. Queries stream the
/// file and keep only the last <c>maxEntries</c> matches, so memory stays bounded by the query, not the file.
/// A line that does not parse (a torn final write after a power loss) is counted in
/// <see cref="UnreadableLines"/> and skipped.
/// </summary>
public sealed class JsonLinesDecisionAuditLog : IDecisionAuditLog, IDisposable
{
    private readonly string _path;
    private readonly FileStream _stream;
    private readonly Lock _gate = new();
    private long _unreadable;

    public JsonLinesDecisionAuditLog(string path)
    {
        _path = Path.GetFullPath(path);
        // FileMode.Append positions every write at the end; FileShare.Read lets queries and tools read.
        _stream = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 4096);
    }

    /// <summary>Lines skipped by queries so far because they were not a valid entry.</summary>
    public long UnreadableLines => Interlocked.Read(ref _unreadable);

    public void Append(DecisionAuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(entry, AuditJsonContext.Default.DecisionAuditEntry);
        lock (_gate)
        {
            _stream.Write(json);
            _stream.WriteByte((byte)'\n');
            _stream.Flush();
        }
    }

    public IReadOnlyList<DecisionAuditEntry> Query(string conferenceId, int maxEntries = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 0);
        var kept = new Queue<DecisionAuditEntry>();
        using var reader = new StreamReader(
            new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite), Encoding.UTF8);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            if (line.Length == 0)
            {
                continue;
            }

            DecisionAuditEntry? entry;
            try
            {
                entry = JsonSerializer.Deserialize(line, AuditJsonContext.Default.DecisionAuditEntry);
            }
            catch (JsonException)
            {
                entry = null;
            }

            if (entry is null)
            {
                Interlocked.Increment(ref _unreadable);
                continue;
            }

            if (!string.Equals(entry.ConferenceId, conferenceId, StringComparison.Ordinal) || maxEntries == 0)
            {
                continue;
            }

            if (kept.Count == maxEntries)
            {
                kept.Dequeue();
            }

            kept.Enqueue(entry);
        }

        return [.. kept];
    }

    public void Dispose() => _stream.Dispose();
}
