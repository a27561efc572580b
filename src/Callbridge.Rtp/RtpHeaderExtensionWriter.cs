namespace Callbridge.Rtp;

/// <summary>
/// Builds an RFC 8285 extension body into a caller's buffer. Add elements, then <see cref="Complete"/>
/// pads with zero bytes to a 32-bit boundary (§4.1) and returns the body for <see cref="RtpPacket.ExtensionBody"/>.
/// </summary>
public ref struct RtpHeaderExtensionWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    public RtpHeaderExtensionWriter(Span<byte> buffer, RtpHeaderExtensionForm form)
    {
        if (form is not (RtpHeaderExtensionForm.OneByte or RtpHeaderExtensionForm.TwoByte))
        {
            ThrowHelpers.Invalid("Only the RFC 8285 one-byte and two-byte forms can be written.");
        }

        _buffer = buffer;
        Form = form;
        _length = 0;
    }

    public RtpHeaderExtensionForm Form { get; }

    /// <summary>The value for <see cref="RtpPacket.ExtensionProfile"/>.</summary>
    public readonly ushort Profile =>
        Form == RtpHeaderExtensionForm.OneByte ? RtpHeaderExtensions.OneByteProfile : RtpHeaderExtensions.TwoByteProfile;

    /// <summary>Adds one element; false when the id or length does not fit the form or the buffer is full.</summary>
    public bool TryAdd(int id, ReadOnlySpan<byte> value)
    {
        int headerSize;
        if (Form == RtpHeaderExtensionForm.OneByte)
        {
            // §4.2: ids 1..14, 1..16 data bytes.
            if (id is < 1 or > 14 || value.Length is < 1 or > 16)
            {
                return false;
            }

            headerSize = 1;
        }
        else
        {
            // §4.3: ids 1..255, 0..255 data bytes.
            if (id is < 1 or > 255 || value.Length > 255)
            {
                return false;
            }

            headerSize = 2;
        }

        if (_length + headerSize + value.Length > _buffer.Length)
        {
            return false;
        }

        if (Form == RtpHeaderExtensionForm.OneByte)
        {
            _buffer[_length] = (byte)((id << 4) | (value.Length - 1));
        }
        else
        {
            _buffer[_length] = (byte)id;
            _buffer[_length + 1] = (byte)value.Length;
        }

        value.CopyTo(_buffer.Slice(_length + headerSize));
        _length += headerSize + value.Length;
        return true;
    }

    /// <summary>Zero-pads to a multiple of 4 and returns the body; false when the buffer cannot hold the padding.</summary>
    public readonly bool TryComplete(out ReadOnlySpan<byte> body)
    {
        int padded = (_length + 3) & ~3;
        if (padded > _buffer.Length)
        {
            body = default;
            return false;
        }

        _buffer[_length..padded].Clear();
        body = _buffer[..padded];
        return true;
    }

    /// <summary>As <see cref="TryComplete"/>, throwing when the buffer is too small for the padding.</summary>
    public readonly ReadOnlySpan<byte> Complete()
    {
        if (!TryComplete(out var body))
        {
            ThrowHelpers.Invalid("Extension buffer too small for the 32-bit padding.");
        }

        return body;
    }
}
