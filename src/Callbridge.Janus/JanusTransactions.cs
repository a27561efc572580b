using System.Security.Cryptography;

namespace Callbridge.Janus;

/// <summary>Random transaction ids: Janus only echoes them, so uniqueness within a session is all that matters.</summary>
internal static class JanusTransactions
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static string Next() => RandomNumberGenerator.GetString(Alphabet, 16);
}
