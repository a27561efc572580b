using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Callbridge.Sdp;

namespace Callbridge.PhoneMedia.Tests;

/// <summary>
/// The least SIP a real peer needs to reach the phone session in these tests (signalling is the bridge's
/// concern, not this library's): over UDP it answers one INVITE with 200 OK and the SDP the test makes
/// from the offer, notes the ACK, and answers BYE (and anything else) with 200 OK.
/// </summary>
internal sealed class TestSipAnswerer : IAsyncDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Func<SessionDescription, string> _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource<SessionDescription> _offer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _acked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _bye = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private readonly string _tag = "cb" + Environment.TickCount64.ToString("x", CultureInfo.InvariantCulture);
    private string? _answerSdp;

    public TestSipAnswerer(IPAddress address, Func<SessionDescription, string> answer)
    {
        _answer = answer;
        _socket.Bind(new IPEndPoint(address, 0));
        EndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        _loop = Task.Run(LoopAsync);
    }

    public IPEndPoint EndPoint { get; }

    public string Uri(string user) => $"sip:{user}@{EndPoint}";

    public Task<SessionDescription> Offer => _offer.Task;

    public Task Acked => _acked.Task;

    public Task ByeReceived => _bye.Task;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        var buffer = new byte[65535];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }

            string message = Encoding.UTF8.GetString(buffer, 0, result.ReceivedBytes);
            string? response = Handle(message);
            if (response is not null)
            {
                await _socket.SendToAsync(Encoding.UTF8.GetBytes(response), SocketFlags.None, result.RemoteEndPoint);
            }
        }
    }

    private string? Handle(string message)
    {
        int headerEnd = message.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string head = headerEnd < 0 ? message : message[..headerEnd];
        string body = headerEnd < 0 ? string.Empty : message[(headerEnd + 4)..];
        string[] lines = head.Split("\r\n");
        string method = lines[0].Split(' ')[0];
        if (method.StartsWith("SIP/", StringComparison.Ordinal))
        {
            return null;
        }

        switch (method)
        {
            case "ACK":
                _acked.TrySetResult();
                return null;
            case "INVITE":
                if (_answerSdp is null)
                {
                    Assert.True(SessionDescription.TryParse(body, out SessionDescription? offer, out SdpParseFailure failure), failure.ToString());
                    _answerSdp = _answer(offer!);
                    _offer.TrySetResult(offer!);
                }

                return Response(lines, _answerSdp);
            case "BYE":
                _bye.TrySetResult();
                return Response(lines, null);
            default:
                return Response(lines, null);
        }
    }

    private string Response(string[] request, string? sdp)
    {
        var sb = new StringBuilder("SIP/2.0 200 OK\r\n");
        foreach (string line in request.Skip(1))
        {
            string name = line.Split(':', 2)[0].Trim().ToUpperInvariant();
            if (name is "VIA" or "V" or "FROM" or "F" or "CALL-ID" or "I" or "CSEQ")
            {
                sb.Append(line).Append("\r\n");
            }
            else if (name is "TO" or "T")
            {
                sb.Append(line).Append(line.Contains(";tag=", StringComparison.Ordinal) ? string.Empty : ";tag=" + _tag).Append("\r\n");
            }
        }

        sb.Append(CultureInfo.InvariantCulture, $"Contact: <sip:bridge@{EndPoint}>\r\n");
        if (sdp is null)
        {
            sb.Append("Content-Length: 0\r\n\r\n");
        }
        else
        {
            sb.Append("Content-Type: application/sdp\r\n")
              .Append(CultureInfo.InvariantCulture, $"Content-Length: {Encoding.UTF8.GetByteCount(sdp)}\r\n\r\n")
              .Append(sdp);
        }

        return sb.ToString();
    }
}
