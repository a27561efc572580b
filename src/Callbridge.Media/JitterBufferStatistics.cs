namespace Callbridge.Media;

/// <summary>Counters of one jitter buffer since it was created.</summary>
public readonly record struct JitterBufferStatistics(
    long Inserted,
    long Released,
    long Duplicates,
    long Late,
    long Reordered,
    long Lost,
    long Discarded,
    long TooLarge,
    long Restarts);
