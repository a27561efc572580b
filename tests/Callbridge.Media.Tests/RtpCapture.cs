using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Callbridge.Media.Tests;

/// <summary>
/// Receives what a real sender (ffmpeg's RTP muxer) sends to 127.0.0.1: RTP on an even port, RTCP on the
/// next one (RFC 3550 §11). Each datagram is kept with its arrival time.
/// </summary>
internal sealed class RtpCapture : IDisposable
{
    private readonly Socket _rtp;
    private readonly Socket _rtcp;

    private RtpCapture(Socket rtp, Socket rtcp, int port)
    {
        _rtp = rtp;
        _rtcp = rtcp;
        Port = port;
    }

    public int Port { get; }

    public List<(byte[] Data, DateTimeOffset Arrival)> RtpPackets { get; } = [];

    public List<byte[]> RtcpPackets { get; } = [];

    public static RtpCapture Open()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int port = Random.Shared.Next(20000, 30000) * 2;
            var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            var rtcp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                rtp.ReceiveBufferSize = 4 << 20;
                rtp.Bind(new IPEndPoint(IPAddress.Loopback, port));
                rtcp.Bind(new IPEndPoint(IPAddress.Loopback, port + 1));
                return new RtpCapture(rtp, rtcp, port);
            }
            catch (SocketException)
            {
                rtp.Dispose();
                rtcp.Dispose();
            }
        }

        throw new InvalidOperationException("No free UDP port pair on 127.0.0.1.");
    }

    /// <summary>Runs ffmpeg with <paramref name="arguments"/> (the rtp:// URL appended) and captures until it exits.</summary>
    public async Task RunFfmpegAsync(IEnumerable<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.ArgumentList.Add($"rtp://127.0.0.1:{Port}?pkt_size=1200");
        using var cts = new CancellationTokenSource();
        var rtpTask = ReceiveAsync(_rtp, data => RtpPackets.Add((data, DateTimeOffset.UtcNow)), cts.Token);
        var rtcpTask = ReceiveAsync(_rtcp, RtcpPackets.Add, cts.Token);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("ffmpeg is not installed: install the Debian package 'ffmpeg'.", e);
        }

        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeoutCts = new CancellationTokenSource(timeout);
            await process.WaitForExitAsync(timeoutCts.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"ffmpeg failed ({process.ExitCode}): {await stderr}");
            }
        }

        // Let the last datagrams (the final RTCP BYE) land.
        await Task.Delay(300);
        await cts.CancelAsync();
        await Task.WhenAll(rtpTask, rtcpTask);
    }

    private static async Task ReceiveAsync(Socket socket, Action<byte[]> onDatagram, CancellationToken token)
    {
        var buffer = new byte[2048];
        try
        {
            while (true)
            {
                int n = await socket.ReceiveAsync(buffer, SocketFlags.None, token);
                onDatagram(buffer[..n]);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }
}
