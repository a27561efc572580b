using System.Net;
using System.Net.Sockets;

namespace Callbridge.Janus.Embedded;

/// <summary>
/// Finds ports nobody listens on. The port is free when returned; a concurrent process may still
/// take it before our child binds, which the caller's readiness check reveals.
/// </summary>
public static class FreePorts
{
    /// <summary>A TCP port free on <paramref name="address"/> (the kernel's ephemeral choice).</summary>
    public static int Tcp(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    /// <summary>A UDP port free on <paramref name="address"/>.</summary>
    public static int Udp(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>
    /// First port of <paramref name="count"/> consecutive UDP ports that are all free, searched
    /// from a random start in 20000-59999 (below the Linux ephemeral range 32768-60999 would be
    /// safer, but 20000-32767 is small; collisions are checked port by port instead).
    /// </summary>
    public static int UdpBlock(IPAddress address, int count)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var start = Random.Shared.Next(20000, 60000 - count);
            if (AllFree(address, start, count))
            {
                return start;
            }
        }

        throw new InvalidOperationException($"no block of {count} free UDP ports on {address}");
    }

    private static bool AllFree(IPAddress address, int start, int count)
    {
        for (var port = start; port < start + count; port++)
        {
            try
            {
                using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                socket.Bind(new IPEndPoint(address, port));
            }
            catch (SocketException)
            {
                return false;
            }
        }

        return true;
    }
}
