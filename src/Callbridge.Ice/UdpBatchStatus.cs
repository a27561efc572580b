namespace Callbridge.Ice;

/// <summary>What <see cref="UdpBatchReceiver.Receive"/> found.</summary>
internal enum UdpBatchStatus
{
    Received,
    Empty,
    Closed,
}
