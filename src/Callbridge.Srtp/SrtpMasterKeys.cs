using System.Security.Cryptography;

namespace Callbridge.Srtp;

/// <summary>
/// The master keys and salts of both directions of a DTLS-SRTP association, already split into
/// ours (local, used to protect) and the peer's (remote, used to unprotect).
/// </summary>
public sealed class SrtpMasterKeys
{
    private readonly byte[] _localKey;
    private readonly byte[] _localSalt;
    private readonly byte[] _remoteKey;
    private readonly byte[] _remoteSalt;

    private SrtpMasterKeys(SrtpProfile profile, byte[] localKey, byte[] localSalt, byte[] remoteKey, byte[] remoteSalt)
    {
        Profile = profile;
        _localKey = localKey;
        _localSalt = localSalt;
        _remoteKey = remoteKey;
        _remoteSalt = remoteSalt;
    }

    public SrtpProfile Profile { get; }

    public ReadOnlySpan<byte> LocalKey => _localKey;

    public ReadOnlySpan<byte> LocalSalt => _localSalt;

    public ReadOnlySpan<byte> RemoteKey => _remoteKey;

    public ReadOnlySpan<byte> RemoteSalt => _remoteSalt;

    /// <summary>
    /// Splits the output of the DTLS exporter (label "EXTRACTOR-dtls_srtp", RFC 5764 §4.2) laid out as
    /// client_write_key | server_write_key | client_write_salt | server_write_salt. The DTLS client
    /// protects with the client half; the server with the server half.
    /// </summary>
    public static SrtpMasterKeys FromDtlsKeyingMaterial(SrtpProfile profile, ReadOnlySpan<byte> material, bool isDtlsClient)
    {
        int keyLength = SrtpProfileInfo.MasterKeyLength(profile);
        int saltLength = SrtpProfileInfo.MasterSaltLength(profile);
        if (material.Length != 2 * (keyLength + saltLength))
        {
            throw new ArgumentException(
                $"{profile} needs {2 * (keyLength + saltLength)} bytes of keying material, got {material.Length}.", nameof(material));
        }

        ReadOnlySpan<byte> clientKey = material[..keyLength];
        ReadOnlySpan<byte> serverKey = material.Slice(keyLength, keyLength);
        ReadOnlySpan<byte> clientSalt = material.Slice(2 * keyLength, saltLength);
        ReadOnlySpan<byte> serverSalt = material.Slice((2 * keyLength) + saltLength, saltLength);
        return isDtlsClient
            ? new SrtpMasterKeys(profile, clientKey.ToArray(), clientSalt.ToArray(), serverKey.ToArray(), serverSalt.ToArray())
            : new SrtpMasterKeys(profile, serverKey.ToArray(), serverSalt.ToArray(), clientKey.ToArray(), clientSalt.ToArray());
    }

    /// <summary>An outbound session keyed with our write key and salt.</summary>
    public SrtpSession CreateOutboundSession(SrtpSessionOptions? options = null) =>
        SrtpSession.Create(Profile, SrtpDirection.Outbound, _localKey, _localSalt, options);

    /// <summary>An inbound session keyed with the peer's write key and salt.</summary>
    public SrtpSession CreateInboundSession(SrtpSessionOptions? options = null) =>
        SrtpSession.Create(Profile, SrtpDirection.Inbound, _remoteKey, _remoteSalt, options);

    /// <summary>Overwrites the key material held by this object.</summary>
    public void Clear()
    {
        CryptographicOperations.ZeroMemory(_localKey);
        CryptographicOperations.ZeroMemory(_localSalt);
        CryptographicOperations.ZeroMemory(_remoteKey);
        CryptographicOperations.ZeroMemory(_remoteSalt);
    }
}
