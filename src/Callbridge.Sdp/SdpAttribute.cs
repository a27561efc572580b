namespace Callbridge.Sdp;

/// <summary>An attribute kept as text: anything without a typed model, preserved in order (RFC 8866 §5.13).</summary>
public sealed record SdpAttribute(string Name, string? Value)
{
    public override string ToString() => Value is null ? Name : Name + ":" + Value;
}
