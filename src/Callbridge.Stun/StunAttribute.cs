namespace Callbridge.Stun;

/// <summary>One attribute of a parsed message; <see cref="Value"/> is a slice of the input, without padding.</summary>
public readonly ref struct StunAttribute
{
    public StunAttribute(ushort type, ReadOnlySpan<byte> value, int offset)
    {
        Type = type;
        Value = value;
        Offset = offset;
    }

    /// <summary>The raw 16-bit type; compare with <see cref="StunAttributeType"/> values.</summary>
    public ushort Type { get; }

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>Offset of the attribute header from the start of the message.</summary>
    public int Offset { get; }

    /// <summary>Types 0x0000-0x7FFF must be understood by the receiver (RFC 8489 §14).</summary>
    public bool IsComprehensionRequired => Type < 0x8000;
}
