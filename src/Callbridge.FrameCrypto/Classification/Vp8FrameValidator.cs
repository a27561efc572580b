using System.Buffers.Binary;

namespace Callbridge.FrameCrypto.Classification;

/// <summary>
/// Structural check of a VP8 frame (the encoded frame, no RTP payload descriptor), RFC 6386 §9.1:
/// <code>
/// frame tag (3 bytes, little-endian): P (1: 0 = key frame) | version (3) | show_frame (1) | first_part_size (19)
/// key frame only: start code 9d 01 2a | width (14) + scale (2) | height (14) + scale (2)
/// </code>
/// </summary>
public static class Vp8FrameValidator
{
    public static Vp8FrameError Validate(ReadOnlySpan<byte> frame, out bool isKeyFrame)
    {
        isKeyFrame = false;
        if (frame.Length < 3)
        {
            return Vp8FrameError.TooShort;
        }

        int tag = frame[0] | (frame[1] << 8) | (frame[2] << 16);
        isKeyFrame = (tag & 1) == 0;
        int version = (tag >> 1) & 7;
        int firstPartitionSize = tag >> 5;
        if (version > 3)
        {
            return Vp8FrameError.BadVersion;
        }

        int headerLength = 3;
        if (isKeyFrame)
        {
            if (frame.Length < 10)
            {
                return Vp8FrameError.TooShort;
            }

            if (frame[3] != 0x9d || frame[4] != 0x01 || frame[5] != 0x2a)
            {
                return Vp8FrameError.BadStartCode;
            }

            int width = BinaryPrimitives.ReadUInt16LittleEndian(frame[6..]) & 0x3FFF;
            int height = BinaryPrimitives.ReadUInt16LittleEndian(frame[8..]) & 0x3FFF;
            if (width == 0 || height == 0)
            {
                return Vp8FrameError.ZeroDimension;
            }

            headerLength = 10;
        }

        return firstPartitionSize == 0 || firstPartitionSize > frame.Length - headerLength
            ? Vp8FrameError.BadPartitionSize
            : Vp8FrameError.None;
    }
}
