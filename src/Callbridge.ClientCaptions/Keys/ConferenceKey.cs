using System.Globalization;
using System.Security.Cryptography;

namespace Callbridge.ClientCaptions.Keys;

/// <summary>
/// One conference key: the JFrame key material (lib-jitsi-meet's 32 random bytes) and the key index it is used
/// under. <see cref="ToString"/> never shows the material, so a key cannot reach a log by accident.
/// </summary>
public sealed class ConferenceKey : IDisposable
{
    private readonly byte[] _material;

    public ConferenceKey(int index, ReadOnlySpan<byte> material)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        Index = index;
        _material = material.ToArray();
    }

    /// <summary>The sender's key index (the ring slot is index % 16).</summary>
    public int Index { get; }

    public ReadOnlySpan<byte> Material => _material;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"conference key #{Index} ({_material.Length} bytes)");

    public void Dispose() => CryptographicOperations.ZeroMemory(_material);
}
