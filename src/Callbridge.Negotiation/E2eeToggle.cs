namespace Callbridge.Negotiation;

/// <summary>The host's last E2EE switch action in this conference, if any.</summary>
public enum E2eeToggle
{
    NeverToggled,
    TurnedOn,
    TurnedOff,
}
