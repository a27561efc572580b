using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Callbridge.Udp;

/// <summary>
/// Takes every datagram queued in a UDP socket with recvmmsg(2), up to a batch per call, without blocking.
/// The receive loop used to ask FIONREAD before each recvfrom to learn whether one more was queued: two system
/// calls per datagram, and one more per wake to find the queue empty. This is one call per wake for the usual
/// handful of datagrams. Linux only (<see cref="TryCreate"/> returns null elsewhere); the buffers are allocated
/// once and reused for every batch.
/// </summary>
/// <remarks>
/// A reader that takes its socket's queue on a clock tick, not on each arrival, can ask for arrival times
/// (SO_TIMESTAMPNS, socket(7)): the kernel stamps each datagram as it is queued, and <see cref="GetTimeQueued"/>
/// says how long it waited, so that jitter buffers and delay measurements count from the real arrival.
/// Linux turns arrival stamping on a moment after the first socket of the machine asks for it (a deferred switch,
/// net_enable_timestamp), and off again after the last such socket closes. A datagram that arrives before the switch
/// is stamped as it is taken: it reads as not having waited, which is what a reader without stamps assumes anyway.
/// The stamps are wall-clock time, and the wall clock may step either way while a datagram waits: a wait is never
/// read as negative, nor as longer than the monotonic time since the last receive that found the socket empty
/// (nothing queued after that can be older).
/// </remarks>
public sealed unsafe partial class UdpBatchReceiver : IDisposable
{
    // struct mmsghdr on 64-bit Linux (x86-64, arm64): struct msghdr (56 bytes) then unsigned int msg_len, padded.
    private const int MessageHeaderSize = 64;
    private const int NameOffset = 0;
    private const int NameLengthOffset = 8;
    private const int IoVectorOffset = 16;
    private const int IoVectorCountOffset = 24;
    private const int ControlOffset = 32;
    private const int ControlLengthOffset = 40;
    private const int FlagsOffset = 48;
    private const int LengthOffset = 56;
    private const int IoVectorSize = 16;

    // sizeof(struct sockaddr_storage).
    private const int NameCapacity = 128;

    // CMSG_SPACE(sizeof(struct timespec)): a 16-byte struct cmsghdr, then tv_sec and tv_nsec.
    private const int ControlCapacity = 32;
    private const int ControlHeaderSize = 16;
    private const int SolSocket = 1;
    private const int SoTimestampNs = 35;

    private const int MsgDontWait = 0x40;
    private const int MsgTruncated = 0x20;
    private const int ErrorInterrupted = 4;
    private const int ErrorWouldBlock = 11;
    private const int ErrorConnectionRefused = 111;

    private const long NotDrained = long.MinValue;

    private readonly Socket _socket;
    private readonly int _capacity;
    private readonly int _datagramCapacity;
    private readonly byte* _headers;
    private readonly byte* _vectors;
    private readonly byte* _names;
    private readonly byte* _datagrams;
    private readonly byte* _controls;
    private readonly TimeProvider _time;
    private long _takenAtUnixTicks;

    // Monotonic timestamps, kept with arrival times only: when the last batch was taken, the start of the last
    // receive that left the socket empty, and that start as it stood before the last batch (nothing in the batch
    // arrived earlier).
    private long _takenAt;
    private long _drainedAt = NotDrained;
    private long _batchNotBefore = NotDrained;
    private bool _disposed;

    private UdpBatchReceiver(Socket socket, int datagramCapacity, int capacity, bool arrivalTimes, TimeProvider time)
    {
        _socket = socket;
        _time = time;
        _capacity = capacity;
        _datagramCapacity = datagramCapacity;
        _headers = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * MessageHeaderSize));
        _vectors = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * IoVectorSize));
        _names = (byte*)NativeMemory.AllocZeroed((nuint)(capacity * NameCapacity));
        _datagrams = (byte*)NativeMemory.Alloc((nuint)capacity * (nuint)datagramCapacity);
        _controls = arrivalTimes ? (byte*)NativeMemory.AllocZeroed((nuint)(capacity * ControlCapacity)) : null;
        // What the kernel only reads is set once: each message's sender buffer and its one I/O vector.
        for (int i = 0; i < capacity; i++)
        {
            byte* vector = _vectors + (i * IoVectorSize);
            *(nint*)vector = (nint)(_datagrams + ((long)i * datagramCapacity));
            *(nuint*)(vector + 8) = (nuint)datagramCapacity;
            byte* header = _headers + (i * MessageHeaderSize);
            *(nint*)(header + NameOffset) = (nint)(_names + (i * NameCapacity));
            *(uint*)(header + NameLengthOffset) = NameCapacity;
            *(nint*)(header + IoVectorOffset) = (nint)vector;
            *(nuint*)(header + IoVectorCountOffset) = 1;
            if (_controls is not null)
            {
                *(nint*)(header + ControlOffset) = (nint)(_controls + (i * ControlCapacity));
                *(nuint*)(header + ControlLengthOffset) = ControlCapacity;
            }
        }
    }

    /// <summary>Datagrams the last <see cref="Receive"/> took (valid until the next call).</summary>
    public int Count { get; private set; }

    /// <summary>
    /// A receiver for <paramref name="socket"/> taking up to <paramref name="batch"/> datagrams of at most
    /// <paramref name="datagramCapacity"/> bytes per call; null where recvmmsg is not available. With
    /// <paramref name="arrivalTimes"/> the socket is asked to stamp each datagram on arrival.
    /// </summary>
    public static UdpBatchReceiver? TryCreate(Socket socket, int datagramCapacity, int batch, bool arrivalTimes = false) =>
        TryCreate(socket, datagramCapacity, batch, arrivalTimes, TimeProvider.System);

    /// <summary>As the public <c>TryCreate</c>, reading the wall and monotonic clocks from <paramref name="time"/> (tests step the wall clock).</summary>
    internal static UdpBatchReceiver? TryCreate(Socket socket, int datagramCapacity, int batch, bool arrivalTimes, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(datagramCapacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8)
        {
            return null;
        }

        if (arrivalTimes)
        {
            int on = 1;
            socket.SetRawSocketOption(SolSocket, SoTimestampNs, new ReadOnlySpan<byte>(&on, sizeof(int)));
        }

        return new UdpBatchReceiver(socket, datagramCapacity, batch, arrivalTimes, time);
    }

    /// <summary>
    /// Takes up to a batch of queued datagrams. <see cref="UdpBatchStatus.Received"/> with <see cref="Count"/> of
    /// them (a full batch means more may be queued), <see cref="UdpBatchStatus.Empty"/> when none was queued,
    /// <see cref="UdpBatchStatus.Closed"/> once the socket is gone.
    /// </summary>
    public UdpBatchStatus Receive()
    {
        // The kernel shortened the sender and control lengths of each message it filled (and sets their flags itself).
        for (int i = 0; i < Count; i++)
        {
            byte* header = _headers + (i * MessageHeaderSize);
            *(uint*)(header + NameLengthOffset) = NameCapacity;
            if (_controls is not null)
            {
                *(nuint*)(header + ControlLengthOffset) = ControlCapacity;
            }
        }

        Count = 0;
        SafeSocketHandle handle = _socket.SafeHandle;
        bool added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            int fd = (int)handle.DangerousGetHandle();
            while (true)
            {
                // Whatever was queued when the call starts is taken unless the batch fills.
                long callStart = _controls is null ? 0 : _time.GetTimestamp();
                int received = RecvMmsg(fd, _headers, (uint)_capacity, MsgDontWait, null);
                if (received >= 0)
                {
                    Count = received;
                    if (_controls is not null)
                    {
                        if (received > 0)
                        {
                            // The stamps are wall-clock time (CLOCK_REALTIME): each is compared with this one reading.
                            _takenAtUnixTicks = _time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks;
                            _takenAt = _time.GetTimestamp();
                            _batchNotBefore = _drainedAt;
                        }

                        if (received < _capacity)
                        {
                            _drainedAt = callStart;
                        }
                    }

                    return received == 0 ? UdpBatchStatus.Empty : UdpBatchStatus.Received;
                }

                switch (Marshal.GetLastPInvokeError())
                {
                    case ErrorWouldBlock:
                        if (_controls is not null)
                        {
                            _drainedAt = callStart;
                        }

                        return UdpBatchStatus.Empty;
                    case ErrorInterrupted:
                    case ErrorConnectionRefused:
                        // An ICMP error queued for an earlier send surfaces here; the next call reads on.
                        continue;
                    default:
                        return UdpBatchStatus.Closed;
                }
            }
        }
        catch (ObjectDisposedException)
        {
            return UdpBatchStatus.Closed;
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// Datagram <paramref name="index"/> of the last batch and its sender, written into <paramref name="from"/>;
    /// false for one the kernel cut to fit the buffer (it is dropped, as a receive into a short buffer fails).
    /// </summary>
    public bool TryGet(int index, SocketAddress from, out ReadOnlySpan<byte> datagram)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        byte* header = _headers + (index * MessageHeaderSize);
        datagram = default;
        int nameLength = (int)*(uint*)(header + NameLengthOffset);
        if ((*(int*)(header + FlagsOffset) & MsgTruncated) != 0 || nameLength > from.Buffer.Length)
        {
            return false;
        }

        // The kernel writes the sender as a native sockaddr, the same bytes SocketAddress keeps on Linux.
        new ReadOnlySpan<byte>(_names + (index * NameCapacity), nameLength).CopyTo(from.Buffer.Span);
        from.Size = nameLength;
        datagram = new ReadOnlySpan<byte>(_datagrams + ((long)index * _datagramCapacity), (int)*(uint*)(header + LengthOffset));
        return true;
    }

    /// <summary>
    /// How long datagram <paramref name="index"/> of the last batch waited in the socket before the batch took it,
    /// from the kernel's arrival stamp; zero without arrival times or stamp. Never negative, and never longer than
    /// since the last receive before the batch that found the socket empty: the wall clock may step either way.
    /// </summary>
    public TimeSpan GetTimeQueued(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        if (_controls is null)
        {
            return TimeSpan.Zero;
        }

        byte* header = _headers + (index * MessageHeaderSize);
        byte* control = _controls + (index * ControlCapacity);
        if (*(nuint*)(header + ControlLengthOffset) < ControlCapacity
            || *(int*)(control + 8) != SolSocket
            || *(int*)(control + 12) != SoTimestampNs)
        {
            return TimeSpan.Zero;
        }

        long seconds = *(long*)(control + ControlHeaderSize);
        long nanoseconds = *(long*)(control + ControlHeaderSize + 8);
        long stampTicks = (seconds * TimeSpan.TicksPerSecond) + (nanoseconds / 100);
        var waited = TimeSpan.FromTicks(Math.Max(0, _takenAtUnixTicks - stampTicks));
        if (_batchNotBefore != NotDrained)
        {
            TimeSpan sinceDrained = _time.GetElapsedTime(_batchNotBefore, _takenAt);
            if (waited > sinceDrained)
            {
                waited = sinceDrained;
            }
        }

        return waited;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        NativeMemory.Free(_headers);
        NativeMemory.Free(_vectors);
        NativeMemory.Free(_names);
        NativeMemory.Free(_datagrams);
        NativeMemory.Free(_controls);
    }

    [LibraryImport("libc", EntryPoint = "recvmmsg", SetLastError = true)]
    private static partial int RecvMmsg(int fd, byte* messages, uint count, int flags, void* timeout);
}
