namespace Callbridge.Sip.Transport;

/// <summary>The transports of RFC 3261 §18 implemented here.</summary>
public enum SipTransportProtocol { Udp, Tcp }
