namespace Callbridge.Stun;

/// <summary>
/// The 14-bit message type: a 12-bit method interleaved with 2 class bits (RFC 8489 §5, figure 3:
/// M11..M7 C1 M6..M4 C0 M3..M0).
/// </summary>
public readonly record struct StunMessageType(StunMethod Method, StunClass Class)
{
    public static readonly StunMessageType BindingRequest = new(StunMethod.Binding, StunClass.Request);
    public static readonly StunMessageType BindingSuccess = new(StunMethod.Binding, StunClass.SuccessResponse);
    public static readonly StunMessageType BindingError = new(StunMethod.Binding, StunClass.ErrorResponse);
    public static readonly StunMessageType BindingIndication = new(StunMethod.Binding, StunClass.Indication);

    public ushort Encode()
    {
        int m = (int)Method;
        int c = (int)Class;
        return (ushort)((m & 0x000F) | ((m & 0x0070) << 1) | ((m & 0x0F80) << 2) | ((c & 1) << 4) | ((c & 2) << 7));
    }

    public static StunMessageType Decode(ushort value)
    {
        int m = (value & 0x000F) | ((value >> 1) & 0x0070) | ((value >> 2) & 0x0F80);
        int c = ((value >> 4) & 1) | ((value >> 7) & 2);
        return new StunMessageType((StunMethod)m, (StunClass)c);
    }
}
