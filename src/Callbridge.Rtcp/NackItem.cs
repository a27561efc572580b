namespace Callbridge.Rtcp;

/// <summary>
/// One generic NACK FCI entry (RFC 4585 §6.2.1): PID is a lost packet, bit i of BLP (LSB = bit 0)
/// marks PID + i + 1 as lost too.
/// <code>
/// |            PID                |             BLP               |
/// </code>
/// </summary>
public readonly record struct NackItem(ushort PacketId, ushort LostBitmask)
{
    public int LostCount => 1 + System.Numerics.BitOperations.PopCount(LostBitmask);

    /// <summary>Writes the lost sequence numbers into <paramref name="destination"/>; returns how many.</summary>
    public int GetLost(Span<ushort> destination)
    {
        int count = 0;
        destination[count++] = PacketId;
        for (int bit = 0; bit < 16; bit++)
        {
            if ((LostBitmask & (1 << bit)) != 0)
            {
                destination[count++] = (ushort)(PacketId + bit + 1);
            }
        }

        return count;
    }
}
