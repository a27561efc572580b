namespace Callbridge.Gateways;

/// <summary>What a phone call did, as the bridge reports it for dial-out and dial-in calls.</summary>
public enum CallProgress
{
    Dialing,
    Ringing,
    Answered,
    Busy,
    NoAnswer,
    Failed,
    HungUp,
}
