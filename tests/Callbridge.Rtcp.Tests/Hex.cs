namespace Callbridge.Rtcp.Tests;

internal static class Hex
{
    /// <summary>Bytes from hex with spaces/newlines allowed, so packets can be laid out like the RFC diagrams.</summary>
    public static byte[] Bytes(string hex) => Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));
}
