using Callbridge.Rtp;

namespace Callbridge.Media;

/// <summary>Iterates the RTP packets of one VP8 frame, writing each into a caller's buffer.</summary>
public ref struct Vp8FramePacketizer
{
    private readonly Vp8Packetizer _owner;
    private readonly ReadOnlySpan<byte> _frame;
    private readonly uint _timestamp;
    private readonly Vp8PayloadDescriptor _descriptor;
    private int _offset;

    internal Vp8FramePacketizer(Vp8Packetizer owner, ReadOnlySpan<byte> frame, uint timestamp, ushort pictureId)
    {
        _owner = owner;
        _frame = frame;
        _timestamp = timestamp;
        _descriptor = new Vp8PayloadDescriptor { PictureId = pictureId, LongPictureId = true };
        _offset = 0;
    }

    /// <summary>Writes the next packet; false when the frame is done or <paramref name="destination"/> is smaller than a packet needs.</summary>
    public bool TryWriteNext(Span<byte> destination, out int written)
    {
        written = 0;
        if (_offset >= _frame.Length)
        {
            return false;
        }

        var descriptor = _descriptor with { StartOfPartition = _offset == 0 };
        int descriptorLength = descriptor.GetSerializedLength();
        int room = Math.Min(destination.Length, _owner.MaxPacketSize) - RtpPacket.FixedHeaderLength - descriptorLength;
        if (room <= 0)
        {
            return false;
        }

        int chunk = Math.Min(room, _frame.Length - _offset);
        bool last = _offset + chunk == _frame.Length;
        var header = new RtpPacket
        {
            Marker = last,
            PayloadType = _owner.PayloadType,
            SequenceNumber = _owner.NextSequenceNumber(),
            Timestamp = _timestamp,
            Ssrc = _owner.Ssrc,
        };
        int offset = header.WriteTo(destination);
        offset += descriptor.WriteTo(destination[offset..]);
        _frame.Slice(_offset, chunk).CopyTo(destination[offset..]);
        _offset += chunk;
        written = offset + chunk;
        return true;
    }
}
