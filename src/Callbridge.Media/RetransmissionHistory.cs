using System.Buffers;
using System.Buffers.Binary;
using Callbridge.Rtcp;
using Callbridge.Rtp;

namespace Callbridge.Media;

/// <summary>
/// Sender-side store of recently sent RTP packets, to answer generic NACKs (RFC 4585 §6.2.1) either
/// by resending the packet or wrapped as RTX (RFC 4588 §4). A ring of pooled slots indexed by sequence
/// number; nothing is allocated per packet. Not thread-safe.
/// </summary>
/// <remarks>Invariant: a slot at index <c>seq &amp; mask</c> is valid only if its stored sequence number equals <c>seq</c>.</remarks>
public sealed class RetransmissionHistory : IDisposable
{
    private readonly Slot[] _slots;
    private readonly int _mask;
    private readonly int _maxPacketSize;
    private readonly long _maxAgeTicks;
    private readonly TimeProvider _time;
    private readonly ArrayPool<byte> _pool;

    /// <param name="capacity">Packets kept (power of two); 1024 ≈ 3 s of 720p video, longer than any useful NACK.</param>
    /// <param name="maxAge">Older packets are not resent: the receiver's jitter buffer has moved on.</param>
    public RetransmissionHistory(int capacity, TimeSpan maxAge, TimeProvider time, int maxPacketSize = 1500, ArrayPool<byte>? pool = null)
    {
        if (capacity < 2 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentException("Capacity must be a power of two.", nameof(capacity));
        }

        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _pool = pool ?? ArrayPool<byte>.Shared;
        _mask = capacity - 1;
        _maxPacketSize = maxPacketSize;
        _maxAgeTicks = (long)(maxAge.TotalSeconds * time.TimestampFrequency);
        _slots = new Slot[capacity];
        for (int i = 0; i < capacity; i++)
        {
            _slots[i].Buffer = _pool.Rent(maxPacketSize);
        }
    }

    /// <summary>Keeps a copy of a packet just sent; false when it is not RTP or too large.</summary>
    public bool Store(ReadOnlySpan<byte> rtpPacket)
    {
        if (!RtpPacket.TryPeekSequenceNumber(rtpPacket, out ushort seq) || rtpPacket.Length > _maxPacketSize)
        {
            return false;
        }

        ref Slot slot = ref _slots[seq & _mask];
        rtpPacket.CopyTo(slot.Buffer);
        slot.Length = rtpPacket.Length;
        slot.Sequence = seq;
        slot.SentAt = _time.GetTimestamp();
        slot.Valid = true;
        return true;
    }

    /// <summary>The stored packet with <paramref name="sequenceNumber"/>, if still kept and not too old.</summary>
    public bool TryGet(ushort sequenceNumber, out ReadOnlySpan<byte> packet)
    {
        ref Slot slot = ref _slots[sequenceNumber & _mask];
        if (slot.Valid && slot.Sequence == sequenceNumber && _time.GetTimestamp() - slot.SentAt <= _maxAgeTicks)
        {
            packet = slot.Buffer.AsSpan(0, slot.Length);
            return true;
        }

        packet = default;
        return false;
    }

    /// <summary>
    /// Writes the lost sequence numbers of a NACK that this history can answer into <paramref name="found"/>;
    /// returns how many. Pass each to <see cref="TryGet"/> or <see cref="TryWriteRtx"/>.
    /// </summary>
    public int GetAnswerable(in GenericNack nack, Span<ushort> found)
    {
        Span<ushort> lost = stackalloc ushort[17];
        int count = 0;
        for (int i = 0; i < nack.ItemCount; i++)
        {
            int n = nack.GetItem(i).GetLost(lost);
            for (int j = 0; j < n && count < found.Length; j++)
            {
                if (TryGet(lost[j], out _))
                {
                    found[count++] = lost[j];
                }
            }
        }

        return count;
    }

    /// <summary>
    /// Writes the stored packet as an RTX packet (RFC 4588 §4): same header with the RTX payload type,
    /// SSRC and sequence number, payload prefixed by the original sequence number (OSN), padding removed.
    /// </summary>
    public bool TryWriteRtx(ushort sequenceNumber, byte rtxPayloadType, uint rtxSsrc, ushort rtxSequenceNumber, Span<byte> destination, out int written)
    {
        written = 0;
        if (!TryGet(sequenceNumber, out var original)
            || RtpPacket.TryParse(original, out var packet, out _) != RtpParseError.None)
        {
            return false;
        }

        int headerLength = packet.HeaderLength;
        int length = headerLength + 2 + packet.Payload.Length;
        if (destination.Length < length)
        {
            return false;
        }

        var rtx = new RtpPacket
        {
            Marker = packet.Marker,
            PayloadType = rtxPayloadType,
            SequenceNumber = rtxSequenceNumber,
            Timestamp = packet.Timestamp,
            Ssrc = rtxSsrc,
            CsrcBytes = packet.CsrcBytes,
            HasExtension = packet.HasExtension,
            ExtensionProfile = packet.ExtensionProfile,
            ExtensionBody = packet.ExtensionBody,
        };
        rtx.WriteTo(destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[headerLength..], sequenceNumber);
        packet.Payload.CopyTo(destination[(headerLength + 2)..]);
        written = length;
        return true;
    }

    public void Dispose()
    {
        for (int i = 0; i < _slots.Length; i++)
        {
            if (_slots[i].Buffer is { } buffer)
            {
                _pool.Return(buffer);
                _slots[i].Buffer = null!;
            }
        }
    }

    private struct Slot
    {
        public byte[] Buffer;
        public int Length;
        public ushort Sequence;
        public long SentAt;
        public bool Valid;
    }
}
