namespace Callbridge.Sdp;

/// <summary>a=setup (RFC 4145 §4, RFC 8842 §5.1: offers use actpass, answers active or passive).</summary>
public enum SdpSetupRole
{
    ActPass,
    Active,
    Passive,
    HoldConn,
}
