using System.Buffers.Binary;

namespace Callbridge.Stun;

/// <summary>
/// Walks the attributes of an already validated message. Attributes after MESSAGE-INTEGRITY other than
/// MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are skipped, as RFC 8489 §14.5 requires receivers to ignore them.
/// </summary>
public ref struct StunAttributeEnumerator
{
    private readonly ReadOnlySpan<byte> _message;
    private int _next;
    private bool _afterIntegrity;

    internal StunAttributeEnumerator(ReadOnlySpan<byte> message)
    {
        _message = message;
        _next = StunMessage.HeaderLength;
        _afterIntegrity = false;
        Current = default;
    }

    public StunAttribute Current { get; private set; }

    public readonly StunAttributeEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_next + 4 <= _message.Length)
        {
            int offset = _next;
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(_message[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(_message[(offset + 2)..]);
            _next = offset + 4 + ((length + 3) & ~3);
            bool skip = _afterIntegrity
                && type != (ushort)StunAttributeType.MessageIntegritySha256
                && type != (ushort)StunAttributeType.Fingerprint;
            if (type == (ushort)StunAttributeType.MessageIntegrity)
            {
                _afterIntegrity = true;
            }

            if (!skip)
            {
                Current = new StunAttribute(type, _message.Slice(offset + 4, length), offset);
                return true;
            }
        }

        return false;
    }
}
