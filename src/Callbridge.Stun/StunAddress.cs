using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Callbridge.Stun;

/// <summary>
/// A transport address held by value (no heap object), as carried by MAPPED-ADDRESS and
/// XOR-MAPPED-ADDRESS (RFC 8489 §14.1, §14.2). IPv4 uses the first 4 of the 16 address bytes.
/// </summary>
public readonly struct StunAddress : IEquatable<StunAddress>
{
    private readonly ulong _high;
    private readonly ulong _low;

    public StunAddress(AddressFamily family, ReadOnlySpan<byte> address, ushort port)
    {
        if (family == AddressFamily.InterNetwork ? address.Length != 4 : family != AddressFamily.InterNetworkV6 || address.Length != 16)
        {
            throw new ArgumentException("IPv4 needs 4 address bytes, IPv6 needs 16.", nameof(address));
        }

        Span<byte> full = stackalloc byte[16];
        full.Clear();
        address.CopyTo(full);
        _high = BinaryPrimitives.ReadUInt64BigEndian(full);
        _low = BinaryPrimitives.ReadUInt64BigEndian(full[8..]);
        Family = family;
        Port = port;
    }

    public AddressFamily Family { get; }

    public ushort Port { get; }

    /// <summary>4 for IPv4, 16 for IPv6.</summary>
    public int AddressLength => Family == AddressFamily.InterNetwork ? 4 : 16;

    public static StunAddress FromEndPoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        Span<byte> bytes = stackalloc byte[16];
        endPoint.Address.TryWriteBytes(bytes, out int written);
        return new StunAddress(endPoint.AddressFamily, bytes[..written], (ushort)endPoint.Port);
    }

    public void WriteAddressBytes(Span<byte> destination)
    {
        Span<byte> full = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(full, _high);
        BinaryPrimitives.WriteUInt64BigEndian(full[8..], _low);
        full[..AddressLength].CopyTo(destination);
    }

    /// <summary>Allocates; for control paths, not per packet.</summary>
    public IPEndPoint ToIPEndPoint()
    {
        Span<byte> bytes = stackalloc byte[16];
        WriteAddressBytes(bytes);
        return new IPEndPoint(new IPAddress(bytes[..AddressLength]), Port);
    }

    public bool Matches(IPEndPoint endPoint) => endPoint is not null && Equals(FromEndPoint(endPoint));

    public bool Equals(StunAddress other) =>
        Family == other.Family && Port == other.Port && _high == other._high && _low == other._low;

    public override bool Equals(object? obj) => obj is StunAddress other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Family, Port, _high, _low);

    public static bool operator ==(StunAddress left, StunAddress right) => left.Equals(right);

    public static bool operator !=(StunAddress left, StunAddress right) => !left.Equals(right);

    public override string ToString() => ToIPEndPoint().ToString();
}
