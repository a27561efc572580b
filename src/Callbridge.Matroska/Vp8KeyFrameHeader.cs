using System.Buffers.Binary;

namespace Callbridge.Matroska;

/// <summary>What a VP8 key frame says about the picture (RFC 6386 §9.1).</summary>
public static class Vp8KeyFrameHeader
{
    /// <summary>
    /// Reads width and height from a key frame: a 3-byte frame tag whose lowest bit is 0 for key frames,
    /// the start code 9d 01 2a, then 14-bit width and height (the top 2 bits are scaling).
    /// </summary>
    public static bool TryReadSize(ReadOnlySpan<byte> frame, out int width, out int height)
    {
        width = height = 0;
        if (frame.Length < 10 || (frame[0] & 0x01) != 0) return false;
        if (frame[3] != 0x9d || frame[4] != 0x01 || frame[5] != 0x2a) return false;
        width = BinaryPrimitives.ReadUInt16LittleEndian(frame[6..]) & 0x3FFF;
        height = BinaryPrimitives.ReadUInt16LittleEndian(frame[8..]) & 0x3FFF;
        return width > 0 && height > 0;
    }
}
