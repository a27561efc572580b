namespace Callbridge.Rtcp;

/// <summary>SDES item types (RFC 3550 §6.5, §12.2).</summary>
public enum SdesItemType : byte
{
    End = 0,
    CName = 1,
    Name = 2,
    Email = 3,
    Phone = 4,
    Location = 5,
    Tool = 6,
    Note = 7,
    Private = 8,
    /// <summary>RFC 7941 §4.2 / RFC 8843: the MID as an SDES item.</summary>
    Mid = 12,
}
