using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Callbridge.Stun;

namespace Callbridge.Ice.Tests;

/// <summary>
/// A remote ICE agent played step by step over a real UDP socket: the test decides when each Binding
/// request or response leaves, so orderings a real peer produces only under load become deterministic.
/// </summary>
internal sealed class ScriptedStunPeer : IDisposable
{
    private readonly Socket _socket;
    private readonly Channel<Received> _received = Channel.CreateUnbounded<Received>();
    private readonly Task _loop;

    public ScriptedStunPeer(IPAddress address)
    {
        _socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(address, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = Task.Run(ReceiveLoopAsync);
    }

    public IceCredentials Credentials { get; } = IceCredentials.Generate();

    public IPEndPoint EndPoint { get; }

    public IceCandidate HostCandidate => new("9", 1, 2130706431, EndPoint, IceCandidateType.Host);

    /// <summary>A connectivity check towards <paramref name="agent"/> as the controlled side (RFC 8445 §7.2.2).</summary>
    public byte[] SendCheck(IceAgent agent, IPEndPoint to, bool controlling = false, ulong tieBreaker = 1)
    {
        byte[] transactionId = RandomNumberGenerator.GetBytes(StunMessage.TransactionIdLength);
        Span<byte> buffer = stackalloc byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, transactionId);
        writer.AddUsername($"{agent.LocalCredentials.UsernameFragment}:{Credentials.UsernameFragment}".AsSpan());
        writer.AddPriority(1862270975);
        if (controlling)
        {
            writer.AddIceControlling(tieBreaker);
        }
        else
        {
            writer.AddIceControlled(tieBreaker);
        }

        writer.AddMessageIntegrity(Encoding.UTF8.GetBytes(agent.LocalCredentials.Password));
        writer.AddFingerprint();
        _socket.SendTo(writer.Written, to);
        return transactionId;
    }

    /// <summary>Answers <paramref name="request"/> with a Binding success signed with our password (RFC 8445 §7.3.1.2).</summary>
    public void SendSuccess(Received request)
    {
        Span<byte> buffer = stackalloc byte[128];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccess, request.TransactionId);
        writer.AddXorMappedAddress(StunAddress.FromEndPoint(request.From));
        writer.AddMessageIntegrity(Encoding.UTF8.GetBytes(Credentials.Password));
        writer.AddFingerprint();
        _socket.SendTo(writer.Written, request.From);
    }

    /// <summary>The next STUN message of <paramref name="kind"/> (others, such as retransmissions, are skipped).</summary>
    public async Task<Received> ReceiveAsync(StunClass kind, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                Received received = await _received.Reader.ReadAsync(cts.Token);
                if (received.Class == kind)
                {
                    return received;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"No {kind} arrived at the scripted peer within {timeout}.");
        }
    }

    /// <summary>A message already received, without waiting.</summary>
    public bool TryTake(out Received? received) => _received.Reader.TryRead(out received);

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[2048];
        while (true)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(EndPoint.Address, 0));
            }
            catch (Exception e) when (e is ObjectDisposedException or SocketException)
            {
                _received.Writer.TryComplete();
                return;
            }

            if (StunMessage.TryParse(buffer.AsSpan(0, result.ReceivedBytes), out StunMessage message, out _) != StunParseError.None)
            {
                continue;
            }

            _received.Writer.TryWrite(new Received(
                message.Type.Class,
                message.TransactionId.ToArray(),
                (IPEndPoint)result.RemoteEndPoint,
                message.HasUseCandidate,
                message.Type.Class == StunClass.ErrorResponse && message.TryGetErrorCode(out int code, out _) ? code : 0,
                message.Type.Class == StunClass.Request && message.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(Credentials.Password))));
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _loop.Wait(TimeSpan.FromSeconds(5));
    }

    internal sealed record Received(StunClass Class, byte[] TransactionId, IPEndPoint From, bool UseCandidate, int ErrorCode, bool SignedWithOurPassword);
}
