namespace Callbridge.Rtcp;

/// <summary>
/// One FIR FCI entry (RFC 5104 §4.3.1.1).
/// <code>
/// |                              SSRC                             |
/// | Seq nr.       |    Reserved                                   |
/// </code>
/// </summary>
public readonly record struct FirEntry(uint Ssrc, byte SequenceNumber)
{
    public const int Size = 8;
}
