using Callbridge.Rtp;

namespace Callbridge.Media;

/// <summary>
/// Splits VP8 frames into RTP packets (RFC 7741 §4): each packet carries a descriptor with a 15-bit
/// PictureID, S=1 and PID=0 on the first packet, the marker on the last. Keeps sequence number and
/// PictureID across frames; not thread-safe.
/// </summary>
public sealed class Vp8Packetizer
{
    /// <summary>RFC 7741 §4.1: 90 kHz RTP clock.</summary>
    public const int ClockRate = 90000;

    private const int HeaderLength = RtpPacket.FixedHeaderLength;

    /// <param name="maxPacketSize">Largest RTP packet produced; 1200 leaves room for SRTP, UDP, IP and TURN overhead under a 1500-byte MTU.</param>
    public Vp8Packetizer(uint ssrc, byte payloadType, ushort initialSequenceNumber, ushort initialPictureId, int maxPacketSize = 1200)
    {
        if (maxPacketSize < HeaderLength + 4 + 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxPacketSize));
        }

        Ssrc = ssrc;
        PayloadType = payloadType;
        SequenceNumber = initialSequenceNumber;
        PictureId = (ushort)(initialPictureId & 0x7FFF);
        MaxPacketSize = maxPacketSize;
    }

    public uint Ssrc { get; }

    public byte PayloadType { get; }

    public int MaxPacketSize { get; }

    public ushort SequenceNumber { get; private set; }

    /// <summary>PictureID the next frame gets (15 bits).</summary>
    public ushort PictureId { get; private set; }

    /// <summary>Starts a frame; call <see cref="Vp8FramePacketizer.TryWriteNext"/> until it returns false.</summary>
    public Vp8FramePacketizer BeginFrame(ReadOnlySpan<byte> frame, uint timestamp)
    {
        var packetizer = new Vp8FramePacketizer(this, frame, timestamp, PictureId);
        PictureId = (ushort)((PictureId + 1) & 0x7FFF);
        return packetizer;
    }

    internal ushort NextSequenceNumber() => SequenceNumber++;
}
