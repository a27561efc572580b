namespace Callbridge.Rtp;

/// <summary>
/// Walks RFC 8285 extension elements in a header extension body. Stops at the end, at a one-byte id 15
/// (§4.2: stop processing) or at an element running past the body (then <see cref="Malformed"/> is true).
/// </summary>
/// <remarks>
/// <code>
/// one-byte (§4.2):   |  ID   |  len  | data (len+1 bytes) ...    ID 0 = padding byte
/// two-byte (§4.3):   |      ID       |    length     | data ...  ID 0 = padding byte
/// </code>
/// </remarks>
public ref struct RtpHeaderExtensionEnumerator
{
    private readonly ReadOnlySpan<byte> _body;
    private readonly RtpHeaderExtensionForm _form;
    private int _offset;

    public RtpHeaderExtensionEnumerator(ushort profile, ReadOnlySpan<byte> body)
    {
        _body = body;
        _form = RtpHeaderExtensions.FormOf(profile);
        _offset = 0;
        Id = 0;
        Value = default;
        Malformed = false;
    }

    public int Id { get; private set; }

    public ReadOnlySpan<byte> Value { get; private set; }

    /// <summary>True when enumeration stopped on an element that does not fit the body.</summary>
    public bool Malformed { get; private set; }

    public readonly RtpHeaderExtensionEnumerator GetEnumerator() => this;

    public readonly RtpHeaderExtensionEnumerator Current => this;

    public bool MoveNext()
    {
        Id = 0;
        Value = default;
        if (_form is not (RtpHeaderExtensionForm.OneByte or RtpHeaderExtensionForm.TwoByte))
        {
            return false;
        }

        while (_offset < _body.Length)
        {
            byte first = _body[_offset];
            bool padding = _form == RtpHeaderExtensionForm.OneByte ? first >> 4 == 0 : first == 0;
            if (padding)
            {
                // ID 0 is reserved for padding (§4.2, §4.3): one byte, its length nibble ignored.
                _offset++;
                continue;
            }

            int id;
            int length;
            int headerSize;
            if (_form == RtpHeaderExtensionForm.OneByte)
            {
                id = first >> 4;
                if (id == 15)
                {
                    // §4.2: id 15 is reserved; the rest of the block is not processed.
                    _offset = _body.Length;
                    return false;
                }

                length = (first & 0x0F) + 1;
                headerSize = 1;
            }
            else
            {
                if (_offset + 1 >= _body.Length)
                {
                    Malformed = true;
                    _offset = _body.Length;
                    return false;
                }

                id = first;
                length = _body[_offset + 1];
                headerSize = 2;
            }

            int start = _offset + headerSize;
            if (start + length > _body.Length)
            {
                Malformed = true;
                _offset = _body.Length;
                return false;
            }

            Id = id;
            Value = _body.Slice(start, length);
            _offset = start + length;
            return true;
        }

        return false;
    }
}
