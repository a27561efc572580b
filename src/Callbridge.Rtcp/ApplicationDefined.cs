using System.Buffers.Binary;

namespace Callbridge.Rtcp;

/// <summary>
/// APP (RFC 3550 §6.7).
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| subtype |   PT=APP=204  |             length            |
/// |                           SSRC/CSRC                           |
/// |                          name (ASCII)                         |
/// |                   application-dependent data                ...
/// </code>
/// </summary>
public readonly ref struct ApplicationDefined
{
    public byte Subtype { get; init; }

    public uint Ssrc { get; init; }

    /// <summary>Four ASCII bytes.</summary>
    public ReadOnlySpan<byte> Name { get; init; }

    /// <summary>Application data, a multiple of 4 bytes on the wire.</summary>
    public ReadOnlySpan<byte> Data { get; init; }

    public static RtcpError TryParse(ReadOnlySpan<byte> data, out ApplicationDefined app, out int consumed)
    {
        app = default;
        var error = RtcpHeader.TryReadPacket(data, RtcpPacketType.ApplicationDefined, out var header, out var body, out consumed);
        if (error != RtcpError.None)
        {
            return error;
        }

        if (body.Length < 8)
        {
            consumed = 0;
            return RtcpError.BodyTooShort;
        }

        app = new ApplicationDefined
        {
            Subtype = header.Count,
            Ssrc = BinaryPrimitives.ReadUInt32BigEndian(body),
            Name = body.Slice(4, 4),
            Data = body[8..],
        };
        return RtcpError.None;
    }

    public int GetSerializedLength() => RtcpHeader.Size + 8 + Data.Length;

    public int WriteTo(Span<byte> destination)
    {
        int length = GetSerializedLength();
        RtcpWriter.EnsureLength(destination, length);
        if (Name.Length != 4 || Data.Length % 4 != 0 || Subtype > 31)
        {
            RtcpWriter.ThrowInvalid("APP needs a 4-byte name, 32-bit aligned data and a 5-bit subtype.");
        }

        RtcpHeader.Write(destination, Subtype, (byte)RtcpPacketType.ApplicationDefined, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Ssrc);
        Name.CopyTo(destination[8..]);
        Data.CopyTo(destination[12..]);
        return length;
    }
}
