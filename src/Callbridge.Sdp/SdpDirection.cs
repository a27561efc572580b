namespace Callbridge.Sdp;

/// <summary>Media direction attributes (RFC 8866 §6.7), as flags: Send | Receive.</summary>
[Flags]
public enum SdpDirection
{
    Inactive = 0,
    SendOnly = 1,
    RecvOnly = 2,
    SendRecv = SendOnly | RecvOnly,
}
