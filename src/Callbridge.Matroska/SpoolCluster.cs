using System.Buffers.Binary;

namespace Callbridge.Matroska;

/// <summary>Why a cluster's body could not be read.</summary>
public enum SpoolClusterError
{
    None,

    /// <summary>A child element header is malformed.</summary>
    BadElement,

    /// <summary>A child claims more bytes than the cluster holds.</summary>
    Truncated,

    /// <summary>A SimpleBlock shorter than its 4-byte header, or a block before the cluster's Timestamp.</summary>
    BadBlock,
}

/// <summary>What one cluster of a spool holds: its blocks' times (track time, ms) and counts.</summary>
public readonly record struct SpoolCluster(long FirstMs, long LastMs, int Blocks, int KeyBlocks, long PayloadBytes)
{
    /// <summary>
    /// Reads a Cluster's body (the bytes after its header): its Timestamp, then SimpleBlocks (RFC 9559
    /// §5.1.3.1 and §10.2). A cluster without blocks returns Blocks = 0.
    /// </summary>
    public static SpoolClusterError TryParse(ReadOnlySpan<byte> body, out SpoolCluster cluster)
    {
        cluster = default;
        long clusterMs = -1, first = long.MaxValue, last = long.MinValue, bytes = 0;
        int blocks = 0, keys = 0;
        while (!body.IsEmpty)
        {
            EbmlReadError header = EbmlReader.TryReadHeader(body, out uint id, out ulong size, out int consumed);
            if (header == EbmlReadError.NeedMoreData) return SpoolClusterError.Truncated;
            if (header != EbmlReadError.None) return SpoolClusterError.BadElement;
            if (size == EbmlReader.UnknownSize || size > (ulong)(body.Length - consumed)) return SpoolClusterError.Truncated;
            ReadOnlySpan<byte> payload = body.Slice(consumed, (int)size);
            if (id == MatroskaIds.Timestamp)
            {
                if (payload.Length is 0 or > 8) return SpoolClusterError.BadElement;
                ulong value = 0;
                foreach (byte b in payload) value = (value << 8) | b;
                if (value > long.MaxValue / 2) return SpoolClusterError.BadElement;
                clusterMs = (long)value;
            }
            else if (id == MatroskaIds.SimpleBlock)
            {
                // RFC 9559 §10.2: track number VINT, int16 timestamp relative to the cluster, flags.
                if (clusterMs < 0) return SpoolClusterError.BadBlock;
                if (EbmlReader.TryReadVint(payload, 8, keepMarker: false, out _, out int trackLength) != EbmlReadError.None
                    || payload.Length < trackLength + 3)
                    return SpoolClusterError.BadBlock;
                long ms = clusterMs + BinaryPrimitives.ReadInt16BigEndian(payload[trackLength..]);
                if ((payload[trackLength + 2] & 0x80) != 0) keys++;
                blocks++;
                bytes += payload.Length - trackLength - 3;
                first = Math.Min(first, ms);
                last = Math.Max(last, ms);
            }
            body = body[(consumed + (int)size)..];
        }
        cluster = blocks == 0 ? new SpoolCluster(clusterMs, clusterMs, 0, 0, 0) : new SpoolCluster(first, last, blocks, keys, bytes);
        return SpoolClusterError.None;
    }
}
