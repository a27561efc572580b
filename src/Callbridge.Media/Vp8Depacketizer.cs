using System.Buffers;
using Callbridge.Rtp;

namespace Callbridge.Media;

/// <summary>
/// Reassembles VP8 frames from RTP (RFC 7741): a frame is the packets sharing one RTP timestamp, from
/// the one with S=1 and PID=0 to the one with the marker bit (§4.1, §4.5). Packets must arrive in
/// sequence order (the jitter buffer's output). On any loss inside or between frames the decoder's
/// references are broken: the frame is dropped, <see cref="NeedKeyFrame"/> is set, and every frame up
/// to the next complete key frame is discarded. The frame is assembled in one pooled buffer rented at
/// construction; nothing is allocated per packet. Not thread-safe.
/// </summary>
/// <remarks>
/// Invariants: while <c>_assembling</c>, <c>_length</c> bytes of the frame with timestamp
/// <c>_timestamp</c> are in <c>_buffer</c>, and <c>_lastSequence</c> is its last packet's number.
/// Otherwise <c>_buffer[0.._frameLength)</c> is the last completed frame.
/// <c>_discardTimestamp</c> (when <c>_discarding</c>) is the timestamp of a frame already dropped, whose
/// remaining packets are ignored.
/// </remarks>
public sealed class Vp8Depacketizer : IDisposable
{
    /// <summary>Default frame limit: 1 MiB holds a 1080p key frame at high quality with room to spare.</summary>
    public const int DefaultMaxFrameSize = 1 << 20;

    private readonly ArrayPool<byte> _pool;
    private byte[] _buffer;
    private bool _assembling;
    private uint _timestamp;
    private int _length;
    private int _packets;
    private bool _keyFrame;
    private bool _discarding;
    private uint _discardTimestamp;
    private bool _haveLast;
    private ushort _lastSequence;
    private bool _gapBeforeFrame;
    private int _frameLength;

    public Vp8Depacketizer(int maxFrameSize = DefaultMaxFrameSize, ArrayPool<byte>? pool = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameSize);
        _pool = pool ?? ArrayPool<byte>.Shared;
        _buffer = _pool.Rent(maxFrameSize);
        MaxFrameSize = maxFrameSize;
    }

    public int MaxFrameSize { get; }

    /// <summary>True until a complete key frame has been produced, and again after any loss. Send a PLI while it is set.</summary>
    public bool NeedKeyFrame { get; private set; } = true;

    /// <summary>The last completed frame; valid until the next <see cref="Push"/>.</summary>
    public ReadOnlySpan<byte> Frame => _assembling ? default : _buffer.AsSpan(0, _frameLength);

    public FrameInfo LastFrame { get; private set; }

    /// <summary>PictureID of the last frame's first packet, -1 when the sender sends none.</summary>
    public int LastPictureId { get; private set; } = -1;

    public long FramesCompleted { get; private set; }

    public long FramesDropped { get; private set; }

    /// <summary>Feeds one packet; on <see cref="DepacketizeResult.Frame"/> read <see cref="Frame"/> and <see cref="LastFrame"/>.</summary>
    public DepacketizeResult Push(scoped in RtpPacket packet)
    {
        ushort seq = packet.SequenceNumber;
        bool gap = _haveLast && seq != (ushort)(_lastSequence + 1);
        _haveLast = true;
        _lastSequence = seq;

        var error = Vp8PayloadDescriptor.TryParse(packet.Payload, out var descriptor, out int descriptorLength);
        if (error != Vp8ParseError.None)
        {
            // The frame this packet belonged to cannot be completed.
            DropCurrent();
            return DepacketizeResult.Invalid;
        }

        var data = packet.Payload[descriptorLength..];
        var result = DepacketizeResult.Pending;
        if (_assembling && (packet.Timestamp != _timestamp || gap))
        {
            // The rest of the frame in progress was lost (its marker never came, or a packet is missing).
            DropCurrent();
            result = DepacketizeResult.FrameDropped;
            if (packet.Timestamp == _discardTimestamp)
            {
                return result;
            }
        }
        else if (gap)
        {
            // Whole packets were lost between frames: whatever they carried is gone.
            _gapBeforeFrame = true;
        }

        if (_discarding && packet.Timestamp == _discardTimestamp)
        {
            return result == DepacketizeResult.Pending ? DepacketizeResult.Discarded : result;
        }

        _discarding = false;
        if (!_assembling)
        {
            if (!descriptor.IsFrameStart)
            {
                // The frame's first packet was lost.
                _discarding = true;
                _discardTimestamp = packet.Timestamp;
                NeedKeyFrame = true;
                FramesDropped++;
                return DepacketizeResult.FrameDropped;
            }

            // §4.3: the VP8 payload header begins the frame; P (bit 0 of the first byte) is 0 for key frames.
            if (data.Length < 3)
            {
                return DepacketizeResult.Invalid;
            }

            _assembling = true;
            _timestamp = packet.Timestamp;
            _length = 0;
            _packets = 0;
            _keyFrame = (data[0] & 0x01) == 0;
            LastPictureId = descriptor.PictureId;
        }

        if (_length + data.Length > MaxFrameSize)
        {
            DropCurrent();
            return DepacketizeResult.FrameTooLarge;
        }

        data.CopyTo(_buffer.AsSpan(_length));
        _length += data.Length;
        _packets++;
        if (!packet.Marker)
        {
            return result;
        }

        // §4.1: the marker bit ends the frame.
        _assembling = false;
        var flags = _gapBeforeFrame ? FrameFlags.AfterLoss : FrameFlags.None;
        _gapBeforeFrame = false;
        if (_keyFrame)
        {
            flags |= FrameFlags.KeyFrame;
            NeedKeyFrame = false;
        }
        else if (NeedKeyFrame || (flags & FrameFlags.AfterLoss) != 0)
        {
            // A delta frame after loss references a picture the decoder does not have.
            NeedKeyFrame = true;
            FramesDropped++;
            _frameLength = 0;
            return DepacketizeResult.FrameDropped;
        }

        _frameLength = _length;
        LastFrame = new FrameInfo(_timestamp, _length, flags, _packets);
        FramesCompleted++;
        return DepacketizeResult.Frame;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            _pool.Return(_buffer);
            _buffer = [];
        }
    }

    private void DropCurrent()
    {
        if (!_assembling)
        {
            return;
        }

        _assembling = false;
        _discarding = true;
        _discardTimestamp = _timestamp;
        NeedKeyFrame = true;
        FramesDropped++;
    }
}
