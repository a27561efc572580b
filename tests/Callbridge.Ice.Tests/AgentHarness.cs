using System.Collections.Concurrent;
using System.Net;

namespace Callbridge.Ice.Tests;

/// <summary>Two agents on loopback, candidates and credentials exchanged as signalling would.</summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    public AgentHarness(IceAgentOptions a, IceAgentOptions b, bool tellBAboutA = true)
    {
        A = new IceAgent(a, (d, from) => AReceived.Enqueue((d.ToArray(), from)));
        B = new IceAgent(b, (d, from) => BReceived.Enqueue((d.ToArray(), from)));
        A.StateChanged += s => AStates.Enqueue(s);
        B.StateChanged += s => BStates.Enqueue(s);
        IReadOnlyList<IceCandidate> aCandidates = A.Start();
        IReadOnlyList<IceCandidate> bCandidates = B.Start();
        Assert.NotEmpty(aCandidates);
        Assert.NotEmpty(bCandidates);
        A.SetRemoteCredentials(B.LocalCredentials);
        B.SetRemoteCredentials(A.LocalCredentials);
        foreach (IceCandidate c in bCandidates)
        {
            A.AddRemoteCandidate(c);
        }

        if (tellBAboutA)
        {
            foreach (IceCandidate c in aCandidates)
            {
                B.AddRemoteCandidate(c);
            }
        }
    }

    public IceAgent A { get; }

    public IceAgent B { get; }

    public ConcurrentQueue<IceConnectionState> AStates { get; } = new();

    public ConcurrentQueue<IceConnectionState> BStates { get; } = new();

    public ConcurrentQueue<(byte[] Data, IPEndPoint From)> AReceived { get; } = new();

    public ConcurrentQueue<(byte[] Data, IPEndPoint From)> BReceived { get; } = new();

    public static IceAgentOptions Options(IceRole role, IPAddress address, IceNominationMode mode = IceNominationMode.Regular,
        TimeProvider? time = null, ulong? tieBreaker = null) => new()
    {
        InitialRole = role,
        Nomination = mode,
        IncludeLoopback = true,
        Addresses = [address],
        TimeProvider = time ?? TimeProvider.System,
        TieBreaker = tieBreaker,
    };

    public static async Task WaitUntil(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting for " + what);
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Moves fake time in steps, letting real datagrams cross between steps.</summary>
    public static async Task Pump(ManualTimeProvider time, Func<bool> condition, TimeSpan step, TimeSpan limit, string what)
    {
        TimeSpan start = time.Elapsed;
        while (!condition())
        {
            if (time.Elapsed - start > limit)
            {
                Assert.Fail($"{what} did not happen within {limit} of fake time");
            }

            time.Advance(step);
            await Task.Delay(3);
        }
    }

    public static bool IsUp(IceAgent agent) => agent.State is IceConnectionState.Connected or IceConnectionState.Completed;

    public async ValueTask DisposeAsync()
    {
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}
