namespace Callbridge.Rtcp;

/// <summary>
/// The report blocks of an SR or RR: either the wire bytes of a parsed packet, or blocks the caller
/// supplies for writing. Reading a block decodes it from the wire on demand; nothing is allocated.
/// </summary>
public readonly ref struct ReportBlockList
{
    /// <summary>RC is 5 bits.</summary>
    public const int MaxCount = 31;

    private readonly ReadOnlySpan<byte> _wire;
    private readonly ReadOnlySpan<ReportBlock> _blocks;
    private readonly bool _fromWire;

    private ReportBlockList(ReadOnlySpan<byte> wire, ReadOnlySpan<ReportBlock> blocks, bool fromWire)
    {
        _wire = wire;
        _blocks = blocks;
        _fromWire = fromWire;
    }

    /// <summary>Blocks to write (at most 31).</summary>
    public static ReportBlockList From(ReadOnlySpan<ReportBlock> blocks) => new(default, blocks, false);

    internal static ReportBlockList FromWire(ReadOnlySpan<byte> wire) => new(wire, default, true);

    public int Count => _fromWire ? _wire.Length / ReportBlock.Size : _blocks.Length;

    public ReportBlock this[int index]
    {
        get
        {
            if (!_fromWire)
            {
                return _blocks[index];
            }

            ReportBlock.TryParse(_wire.Slice(index * ReportBlock.Size, ReportBlock.Size), out var block);
            return block;
        }
    }

    public int SerializedLength => Count * ReportBlock.Size;

    internal int WriteTo(Span<byte> destination)
    {
        if (Count > MaxCount)
        {
            RtcpWriter.ThrowInvalid("At most 31 report blocks fit one packet.");
        }

        if (_fromWire)
        {
            _wire.CopyTo(destination);
            return _wire.Length;
        }

        int offset = 0;
        foreach (var block in _blocks)
        {
            offset += block.WriteTo(destination[offset..]);
        }

        return offset;
    }
}
