using System.Net;
using System.Net.Sockets;

namespace Callbridge.Ice.Tests;

public class IcePriorityTests
{
    [Fact]
    public void CandidatePriority_FollowsRfc8445Formula()
    {
        // 126 << 24 | 65535 << 8 | 255: the highest host priority.
        Assert.Equal(2130706431u, IcePriority.Candidate(126, 65535, 1));
        Assert.Equal((110u << 24) + (100u << 8) + 255u, IcePriority.Candidate(110, 100, 1));
        Assert.True(IcePriority.LocalPreference(AddressFamily.InterNetworkV6, 0) > IcePriority.LocalPreference(AddressFamily.InterNetwork, 0));
    }

    [Fact]
    public void PairPriority_FollowsRfc8445Formula()
    {
        uint g = 2130706431, d = 1694498815;
        Assert.Equal(((ulong)d << 32) + (2ul * g) + 1, IcePriority.Pair(g, d));
        Assert.Equal(((ulong)d << 32) + (2ul * g), IcePriority.Pair(d, g));
        // Both agents compute the same number for the same pair (controlling candidate first).
        Assert.NotEqual(IcePriority.Pair(g, d), IcePriority.Pair(d, g));
    }

    [Fact]
    public void Foundation_IsStablePerTypeAndBase()
    {
        IPAddress a = IPAddress.Parse("198.18.0.1");
        Assert.Equal(IcePriority.Foundation(IceCandidateType.Host, a), IcePriority.Foundation(IceCandidateType.Host, IPAddress.Parse("198.18.0.1")));
        Assert.NotEqual(IcePriority.Foundation(IceCandidateType.Host, a), IcePriority.Foundation(IceCandidateType.Host, IPAddress.Parse("198.18.0.2")));
        Assert.NotEqual(IcePriority.Foundation(IceCandidateType.Host, a), IcePriority.Foundation(IceCandidateType.PeerReflexive, a));
        Assert.Matches("^[0-9]{1,10}$", IcePriority.Foundation(IceCandidateType.Host, a));
    }

    [Fact]
    public void Credentials_MeetRfc8839Lengths()
    {
        IceCredentials c = IceCredentials.Generate();
        Assert.InRange(c.UsernameFragment.Length, 4, 256);
        Assert.InRange(c.Password.Length, 22, 256);
        Assert.Matches("^[A-Za-z0-9+/]+$", c.UsernameFragment + c.Password);
        Assert.NotEqual(c, IceCredentials.Generate());
    }

    [Fact]
    public void Candidate_FormatsAsSdpValue()
    {
        var c = new IceCandidate("123", 1, 2130706431, new IPEndPoint(IPAddress.Parse("198.18.0.1"), 5000), IceCandidateType.Host);
        Assert.Equal("123 1 udp 2130706431 198.18.0.1 5000 typ host", c.ToSdpValue());
    }
}
