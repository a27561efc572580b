namespace Callbridge.Rtcp;

/// <summary>One SDES chunk: a source and its items (RFC 3550 §6.5). <see cref="Items"/> excludes the terminating null and padding.</summary>
public readonly ref struct SdesChunk
{
    public uint Ssrc { get; init; }

    public ReadOnlySpan<byte> Items { get; init; }

    public SdesItemEnumerator GetItems() => new(Items);

    /// <summary>Finds the first item of <paramref name="type"/>.</summary>
    public bool TryGetItem(SdesItemType type, out ReadOnlySpan<byte> text)
    {
        var items = GetItems();
        while (items.MoveNext())
        {
            if (items.Type == type)
            {
                text = items.Text;
                return true;
            }
        }

        text = default;
        return false;
    }
}
