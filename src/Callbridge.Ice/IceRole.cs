namespace Callbridge.Ice;

/// <summary>RFC 8445 §6.1.1: the offerer of a full-ICE session starts controlling, the answerer controlled.</summary>
public enum IceRole
{
    Controlling,
    Controlled,
}
