using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Callbridge.Srtp.Tests;

/// <summary>
/// An independent, deliberately plain SRTP computation built from .NET's AES and HMAC primitives,
/// used to check the libsrtp wiring (key/salt order, profile, tag length) byte for byte.
/// Only the index-0 rollover counter and key derivation rate 0 are modelled.
/// </summary>
internal static class ReferenceSrtp
{
    public const byte LabelRtpEncryption = 0x00;
    public const byte LabelRtpAuthentication = 0x01;
    public const byte LabelRtpSalt = 0x02;
    public const byte LabelRtcpEncryption = 0x03;
    public const byte LabelRtcpAuthentication = 0x04;
    public const byte LabelRtcpSalt = 0x05;

    /// <summary>
    /// RFC 3711 §4.3.1/§4.3.3 with kdr = 0: x = (label at octet 7) XOR master salt (112 bits, a 96-bit
    /// GCM salt padded with zero octets on the right), then the AES-CM keystream under the master key
    /// from IV = x * 2^16.
    /// </summary>
    public static byte[] Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte label, int length)
    {
        Span<byte> x = stackalloc byte[14];
        masterSalt.CopyTo(x);
        x[7] ^= label;
        Span<byte> iv = stackalloc byte[16];
        x.CopyTo(iv);
        return Keystream(masterKey, iv, length);
    }

    /// <summary>AES in counter mode (RFC 3711 §4.1.1): block j encrypts IV + j (the low 16 bits count blocks).</summary>
    public static byte[] Keystream(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, int length)
    {
        using var aes = Aes.Create();
        aes.Key = key.ToArray();
        int blocks = (length + 15) / 16;
        byte[] counters = new byte[blocks * 16];
        for (int j = 0; j < blocks; j++)
        {
            Span<byte> block = counters.AsSpan(j * 16, 16);
            iv.CopyTo(block);
            ushort low = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(block[14..]) + j);
            BinaryPrimitives.WriteUInt16BigEndian(block[14..], low);
        }

        byte[] stream = aes.EncryptEcb(counters, PaddingMode.None);
        return stream.AsSpan(0, length).ToArray();
    }

    /// <summary>SRTP AES-CM + HMAC-SHA1 (RFC 3711 §3.3, §4.1.1, §4.2) for ROC = 0.</summary>
    public static byte[] ProtectAesCm(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, ReadOnlySpan<byte> rtp, int headerLength, int tagLength)
    {
        byte[] sessionKey = Derive(masterKey, masterSalt, LabelRtpEncryption, 16);
        byte[] sessionSalt = Derive(masterKey, masterSalt, LabelRtpSalt, 14);
        byte[] authKey = Derive(masterKey, masterSalt, LabelRtpAuthentication, 20);

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(rtp[8..]);
        ushort seq = BinaryPrimitives.ReadUInt16BigEndian(rtp[2..]);

        // IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), i = ROC || SEQ with ROC = 0.
        byte[] iv = new byte[16];
        sessionSalt.CopyTo(iv, 0);
        for (int b = 0; b < 4; b++)
        {
            iv[4 + b] ^= (byte)(ssrc >> (24 - (8 * b)));
        }

        iv[12] ^= (byte)(seq >> 8);
        iv[13] ^= (byte)seq;

        byte[] output = new byte[rtp.Length + tagLength];
        rtp.CopyTo(output);
        int payloadLength = rtp.Length - headerLength;
        byte[] stream = Keystream(sessionKey, iv, payloadLength);
        for (int k = 0; k < payloadLength; k++)
        {
            output[headerLength + k] ^= stream[k];
        }

        // Authenticated portion || ROC (RFC 3711 §4.2).
        byte[] authInput = new byte[rtp.Length + 4];
        output.AsSpan(0, rtp.Length).CopyTo(authInput);
        byte[] mac = HMACSHA1.HashData(authKey, authInput);
        mac.AsSpan(0, tagLength).CopyTo(output.AsSpan(rtp.Length));
        return output;
    }

    /// <summary>SRTCP AES-CM + HMAC-SHA1 (RFC 3711 §3.4): the first 8 octets stay clear, E = 1, 80-bit tag.</summary>
    public static byte[] ProtectRtcpAesCm(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, ReadOnlySpan<byte> rtcp, uint srtcpIndex)
    {
        byte[] sessionKey = Derive(masterKey, masterSalt, LabelRtcpEncryption, 16);
        byte[] sessionSalt = Derive(masterKey, masterSalt, LabelRtcpSalt, 14);
        byte[] authKey = Derive(masterKey, masterSalt, LabelRtcpAuthentication, 20);
        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(rtcp[4..]);

        byte[] iv = new byte[16];
        sessionSalt.CopyTo(iv, 0);
        for (int b = 0; b < 4; b++)
        {
            iv[4 + b] ^= (byte)(ssrc >> (24 - (8 * b)));
            iv[10 + b] ^= (byte)(srtcpIndex >> (24 - (8 * b)));
        }

        byte[] output = new byte[rtcp.Length + 4 + 10];
        rtcp.CopyTo(output);
        byte[] stream = Keystream(sessionKey, iv, rtcp.Length - 8);
        for (int k = 0; k < stream.Length; k++)
        {
            output[8 + k] ^= stream[k];
        }

        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(rtcp.Length), 0x8000_0000u | srtcpIndex);
        byte[] mac = HMACSHA1.HashData(authKey, output.AsSpan(0, rtcp.Length + 4));
        mac.AsSpan(0, 10).CopyTo(output.AsSpan(rtcp.Length + 4));
        return output;
    }

    /// <summary>
    /// SRTP AEAD_AES_128_GCM (RFC 7714 §8.1, §9.1): IV = (0x0000 || SSRC || ROC || SEQ) XOR session salt,
    /// the header is associated data, and the 16-octet tag follows the ciphertext. ROC = 0.
    /// </summary>
    public static byte[] ProtectGcm(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, ReadOnlySpan<byte> rtp, int headerLength)
    {
        byte[] sessionKey = Derive(masterKey, masterSalt, LabelRtpEncryption, 16);
        byte[] sessionSalt = Derive(masterKey, masterSalt, LabelRtpSalt, 12);
        byte[] iv = new byte[12];
        rtp.Slice(8, 4).CopyTo(iv.AsSpan(2));
        rtp.Slice(2, 2).CopyTo(iv.AsSpan(10));
        for (int k = 0; k < 12; k++)
        {
            iv[k] ^= sessionSalt[k];
        }

        byte[] output = new byte[rtp.Length + 16];
        rtp[..headerLength].CopyTo(output);
        using var gcm = new AesGcm(sessionKey, 16);
        gcm.Encrypt(iv, rtp[headerLength..], output.AsSpan(headerLength, rtp.Length - headerLength), output.AsSpan(rtp.Length, 16), rtp[..headerLength]);
        return output;
    }
}
