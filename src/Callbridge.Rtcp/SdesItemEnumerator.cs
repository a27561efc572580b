namespace Callbridge.Rtcp;

/// <summary>Walks the items of one validated SDES chunk.</summary>
public ref struct SdesItemEnumerator
{
    private readonly ReadOnlySpan<byte> _items;
    private int _offset;

    public SdesItemEnumerator(ReadOnlySpan<byte> items)
    {
        _items = items;
        _offset = 0;
        Type = SdesItemType.End;
        Text = default;
    }

    public SdesItemType Type { get; private set; }

    public ReadOnlySpan<byte> Text { get; private set; }

    public bool MoveNext()
    {
        if (_offset + 2 > _items.Length || _items[_offset] == 0)
        {
            return false;
        }

        int length = _items[_offset + 1];
        if (_offset + 2 + length > _items.Length)
        {
            return false;
        }

        Type = (SdesItemType)_items[_offset];
        Text = _items.Slice(_offset + 2, length);
        _offset += 2 + length;
        return true;
    }
}
