using System.Diagnostics.CodeAnalysis;

namespace Callbridge.Rtp;

/// <summary>Out-of-line throws for caller mistakes (never for network input).</summary>
internal static class ThrowHelpers
{
    [DoesNotReturn]
    public static void DestinationTooShort(int needed, int actual) =>
        throw new ArgumentException($"Destination holds {actual} bytes; {needed} are needed.", "destination");

    [DoesNotReturn]
    public static void Invalid(string message) => throw new ArgumentException(message);
}
