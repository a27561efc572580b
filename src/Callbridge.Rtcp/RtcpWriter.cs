using System.Diagnostics.CodeAnalysis;

namespace Callbridge.Rtcp;

/// <summary>Checks for writers; throwing is for caller mistakes only, never for network input.</summary>
internal static class RtcpWriter
{
    public static void EnsureLength(Span<byte> destination, int length)
    {
        if (destination.Length < length)
        {
            ThrowTooShort(length, destination.Length);
        }
    }

    [DoesNotReturn]
    public static void ThrowTooShort(int needed, int actual) =>
        throw new ArgumentException($"Destination holds {actual} bytes; {needed} are needed.", "destination");

    [DoesNotReturn]
    public static void ThrowInvalid(string message) => throw new ArgumentException(message);
}
