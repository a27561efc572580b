namespace Callbridge.Notices.Model;

public enum GatewayState
{
    Joining,
    Running,
    Leaving,
    Left,
    ForceStopped,
    Failed,
}
