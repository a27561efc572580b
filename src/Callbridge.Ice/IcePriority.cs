using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Callbridge.Ice;

/// <summary>Priority and foundation formulas of RFC 8445.</summary>
internal static class IcePriority
{
    /// <summary>Type preferences recommended by RFC 8445 §5.1.2.2.</summary>
    public const int HostTypePreference = 126;
    public const int PeerReflexiveTypePreference = 110;

    /// <summary>RFC 8445 §5.1.2.1: 2^24 type pref + 2^8 local pref + (256 - component).</summary>
    public static uint Candidate(int typePreference, int localPreference, int component) =>
        (uint)((typePreference << 24) + (localPreference << 8) + (256 - component));

    /// <summary>
    /// Local preference: IPv6 above IPv4 (RFC 8421 §4 dual-stack guidance), then the order addresses were
    /// found in, so every host candidate gets a distinct priority.
    /// </summary>
    public static int LocalPreference(AddressFamily family, int index) =>
        Math.Max(0, (family == AddressFamily.InterNetworkV6 ? 65535 : 32767) - index);

    /// <summary>RFC 8445 §6.1.2.3: 2^32 MIN(G,D) + 2 MAX(G,D) + (G &gt; D ? 1 : 0).</summary>
    public static ulong Pair(uint controlling, uint controlled) =>
        ((ulong)Math.Min(controlling, controlled) << 32) + (2ul * Math.Max(controlling, controlled)) + (controlling > controlled ? 1ul : 0ul);

    /// <summary>RFC 8445 §5.1.1.3: same type, base IP and transport give the same foundation (FNV-1a, stable).</summary>
    public static string Foundation(IceCandidateType type, IPAddress baseAddress)
    {
        uint hash = 2166136261;
        foreach (char c in $"{type}|{baseAddress}|udp")
        {
            hash = (hash ^ c) * 16777619;
        }

        return (hash % 1_000_000_000u).ToString(CultureInfo.InvariantCulture);
    }
}
