using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Callbridge.Udp;

/// <summary>
/// How long the datagram a socket's last receive returned had waited in the socket, from the kernel's arrival
/// stamp (ioctl SIOCGSTAMPNS, socket(7)): for a receive path that takes one datagram per call and cannot read a
/// control message. One system call per datagram, so it is for measuring, not for every packet of a media path.
/// </summary>
/// <remarks>
/// The first call switches stamping on for the socket (and reads no stamp); datagrams received after it carry
/// theirs. As with <see cref="UdpBatchReceiver"/>, Linux turns stamps on machine-wide a moment after the first
/// socket asks, and a datagram that arrives before that reads as not having waited. The stamps are wall-clock
/// time: a wait that would read negative (the clock stepped back) reads as zero.
/// </remarks>
public static unsafe partial class UdpLastArrival
{
    private const uint SiocGetStampNs = 0x8907;

    /// <summary>
    /// The wait of the last datagram received on <paramref name="socket"/>; false where it cannot be read (not
    /// Linux, no datagram stamped yet, the socket closed).
    /// </summary>
    public static bool TryGetTimeQueued(Socket socket, out TimeSpan waited)
    {
        ArgumentNullException.ThrowIfNull(socket);
        waited = TimeSpan.Zero;
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8)
        {
            return false;
        }

        // struct timespec on 64-bit Linux: tv_sec, tv_nsec.
        long* stamp = stackalloc long[2];
        SafeSocketHandle handle = socket.SafeHandle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            if (Ioctl((int)handle.DangerousGetHandle(), SiocGetStampNs, stamp) != 0)
            {
                return false;
            }
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }

        long stampTicks = (stamp[0] * TimeSpan.TicksPerSecond) + (stamp[1] / 100);
        long nowTicks = DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks;
        waited = TimeSpan.FromTicks(Math.Max(0, nowTicks - stampTicks));
        return true;
    }

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, uint request, long* argument);
}
