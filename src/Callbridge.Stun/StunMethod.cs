namespace Callbridge.Stun;

/// <summary>STUN methods used here (RFC 8489 §18.2); other values pass through as numbers.</summary>
public enum StunMethod : ushort
{
    Binding = 0x001,
}
