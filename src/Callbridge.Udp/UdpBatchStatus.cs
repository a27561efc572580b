namespace Callbridge.Udp;

/// <summary>What <see cref="UdpBatchReceiver.Receive"/> found.</summary>
public enum UdpBatchStatus
{
    Received,
    Empty,
    Closed,
}
