namespace Callbridge.Storage;

/// <summary>The blocks an upload has staged, kept in index order; safe to read while blocks are being staged.
/// A block staged again (a retry) replaces the earlier entry.</summary>
internal sealed class StagedBlockList
{
    private readonly Lock _gate = new();
    private readonly List<StagedBlock> _blocks = [];

    public IReadOnlyList<StagedBlock> Snapshot()
    {
        lock (_gate) return _blocks.ToArray();
    }

    public void Record(int index, long length)
    {
        lock (_gate)
        {
            _blocks.RemoveAll(b => b.Index == index);
            _blocks.Add(new StagedBlock(index, length));
            _blocks.Sort((a, b) => a.Index.CompareTo(b.Index));
        }
    }
}
