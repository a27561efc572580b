using System.Buffers.Binary;

namespace Callbridge.Rtp;

/// <summary>Transport-wide congestion control sequence number (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2): 16 bits.</summary>
public readonly record struct TransportSequenceNumber(ushort Value)
{
    public const string Uri = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";

    public const int SerializedLength = 2;

    public static bool TryParse(ReadOnlySpan<byte> value, out TransportSequenceNumber number)
    {
        if (value.Length < SerializedLength)
        {
            number = default;
            return false;
        }

        number = new TransportSequenceNumber(BinaryPrimitives.ReadUInt16BigEndian(value));
        return true;
    }

    public int WriteTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Value);
        return SerializedLength;
    }
}
