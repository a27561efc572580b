namespace Callbridge.Negotiation.Clients;

public enum ClientSupport
{
    Supported,
    Unsupported,
    /// <summary>The user agent was not recognized; nothing is guessed.</summary>
    Unknown,
}
