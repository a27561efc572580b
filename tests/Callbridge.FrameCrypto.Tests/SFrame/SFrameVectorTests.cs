using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Callbridge.FrameCrypto.SFrame;
using Callbridge.FrameCrypto.Tests.Support;

namespace Callbridge.FrameCrypto.Tests.SFrame;

/// <summary>Every vector of sframe-rfc9605.json (RFC 9605 Appendix C).</summary>
public sealed class SFrameVectorTests
{
    private static readonly Lazy<JsonDocument> Document = new(() => SharedFiles.LoadVectors("sframe-rfc9605.json"));

    private static JsonElement Root => Document.Value.RootElement;

    public static TheoryData<string> HeaderNames() => Names("header", h => $"kid={h.GetProperty("kid").GetUInt64()} ctr={h.GetProperty("ctr").GetUInt64()}");

    public static TheoryData<string> AesCtrHmacNames() => Names("aes_ctr_hmac", SuiteName);

    public static TheoryData<string> SFrameNames() => Names("sframe", SuiteName);

    [Theory]
    [MemberData(nameof(HeaderNames))]
    public void Header_encodes_and_decodes(string name)
    {
        var vector = Find("header", name, h => $"kid={h.GetProperty("kid").GetUInt64()} ctr={h.GetProperty("ctr").GetUInt64()}");
        var header = new SFrameHeader(vector.GetProperty("kid").GetUInt64(), vector.GetProperty("ctr").GetUInt64());
        var encoded = vector.GetProperty("encoded").GetString()!;

        var buffer = new byte[SFrameHeader.MaxLength];
        int written = header.WriteTo(buffer);
        Assert.Equal(encoded, Hex.Encode(buffer.AsSpan(0, written)));
        Assert.Equal(written, header.GetSerializedLength());

        // Followed by payload bytes, the parse must stop at the header's end.
        var withPayload = Hex.Decode(encoded + "a5a5a5");
        Assert.True(SFrameHeader.TryParse(withPayload, out var parsed, out int consumed));
        Assert.Equal(header, parsed);
        Assert.Equal(encoded.Length / 2, consumed);

        // Every strict prefix is reported truncated.
        var bytes = Hex.Decode(encoded);
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.False(SFrameHeader.TryParse(bytes.AsSpan(0, length), out _, out _));
        }

        Assert.Equal(0, header.WriteTo(new byte[written - 1]));
    }

    [Theory]
    [MemberData(nameof(AesCtrHmacNames))]
    public void Aes_ctr_hmac_aead_matches(string name)
    {
        var v = Find("aes_ctr_hmac", name, SuiteName);
        var suite = (SFrameCipherSuite)v.GetProperty("cipher_suite").GetUInt16();
        var p = SFrameCipherSuiteParameters.For(suite);
        var key = Bytes(v, "key");
        Assert.Equal(v.GetProperty("enc_key").GetString(), Hex.Encode(key.AsSpan(0, p.Nka)));
        Assert.Equal(v.GetProperty("auth_key").GetString(), Hex.Encode(key.AsSpan(p.Nka)));

        using var aead = new AesCtrHmacAead(key.AsSpan(0, p.Nka), key.AsSpan(p.Nka), p.Nt);
        var nonce = Bytes(v, "nonce");
        var aad = Bytes(v, "aad");
        var pt = Bytes(v, "pt");
        var ct = new byte[pt.Length + p.Nt];
        aead.Seal(nonce, aad, default, pt, ct.AsSpan(0, pt.Length), ct.AsSpan(pt.Length));
        Assert.Equal(v.GetProperty("ct").GetString(), Hex.Encode(ct));

        // The AAD split between header and metadata must not change the tag.
        var split = new byte[ct.Length];
        aead.Seal(nonce, aad.AsSpan(0, 5), aad.AsSpan(5), pt, split.AsSpan(0, pt.Length), split.AsSpan(pt.Length));
        Assert.Equal(ct, split);

        var back = new byte[pt.Length];
        Assert.True(aead.Open(nonce, aad, default, ct.AsSpan(0, pt.Length), ct.AsSpan(pt.Length), back));
        Assert.Equal(pt, back);

        ct[0] ^= 1;
        Assert.False(aead.Open(nonce, aad, default, ct.AsSpan(0, pt.Length), ct.AsSpan(pt.Length), back));
    }

    [Theory]
    [MemberData(nameof(SFrameNames))]
    public void Sframe_derivation_nonce_aad_and_ciphertext_match(string name)
    {
        var v = Find("sframe", name, SuiteName);
        var suite = (SFrameCipherSuite)v.GetProperty("cipher_suite").GetUInt16();
        ulong kid = v.GetProperty("kid").GetUInt64();
        ulong ctr = v.GetProperty("ctr").GetUInt64();
        var p = SFrameCipherSuiteParameters.For(suite);

        Span<byte> label = stackalloc byte[SFrameKey.MaxLabelLength];
        Assert.Equal(v.GetProperty("sframe_key_label").GetString(), Hex.Encode(SFrameKey.WriteLabel(label, isSalt: false, kid, suite)));
        Assert.Equal(v.GetProperty("sframe_salt_label").GetString(), Hex.Encode(SFrameKey.WriteLabel(label, isSalt: true, kid, suite)));
        Assert.Equal(v.GetProperty("sframe_secret").GetString(), Hex.Encode(HKDF.Extract(p.Hash, Bytes(v, "base_key"), [])));

        using var key = SFrameKey.Derive(suite, kid, Bytes(v, "base_key"));
        Assert.Equal(v.GetProperty("sframe_key").GetString(), Hex.Encode(key.Key));
        Assert.Equal(v.GetProperty("sframe_salt").GetString(), Hex.Encode(key.Salt));
        Span<byte> nonce = stackalloc byte[p.Nn];
        key.FormNonce(ctr, nonce);
        Assert.Equal(v.GetProperty("nonce").GetString(), Hex.Encode(nonce));

        var header = new byte[SFrameHeader.MaxLength];
        int headerLength = new SFrameHeader(kid, ctr).WriteTo(header);
        var metadata = Bytes(v, "metadata");
        Assert.Equal(v.GetProperty("aad").GetString(), Hex.Encode(header.AsSpan(0, headerLength)) + Hex.Encode(metadata));

        using var sender = new SFrameContext(suite);
        sender.SetKey(kid, Bytes(v, "base_key"));
        var pt = Bytes(v, "pt");
        var output = new byte[sender.GetCiphertextLength(kid, ctr, pt.Length)];
        Assert.Equal(SFrameEncryptStatus.Success, sender.Encrypt(kid, ctr, metadata, pt, output, out int written));
        Assert.Equal(output.Length, written);
        Assert.Equal(v.GetProperty("ct").GetString(), Hex.Encode(output));

        using var receiver = new SFrameContext(suite);
        receiver.SetKey(kid, Bytes(v, "base_key"));
        var plain = new byte[output.Length];
        Assert.Equal(SFrameDropReason.None, receiver.Decrypt(Bytes(v, "ct"), metadata, plain, out int ptLength, out var parsed));
        Assert.Equal(new SFrameHeader(kid, ctr), parsed);
        Assert.Equal(Hex.Encode(pt), Hex.Encode(plain.AsSpan(0, ptLength)));

        // Metadata is authenticated: a different one fails.
        Assert.Equal(SFrameDropReason.AuthenticationFailed, receiver.Decrypt(Bytes(v, "ct"), metadata.AsSpan(1), plain, out _, out _));
    }

    private static string SuiteName(JsonElement v) => ((SFrameCipherSuite)v.GetProperty("cipher_suite").GetUInt16()).ToString();

    private static byte[] Bytes(JsonElement v, string property) => Hex.Decode(v.GetProperty(property).GetString()!);

    private static TheoryData<string> Names(string array, Func<JsonElement, string> name)
    {
        var data = new TheoryData<string>();
        foreach (var v in Root.GetProperty(array).EnumerateArray())
        {
            data.Add(name(v));
        }

        return data;
    }

    private static JsonElement Find(string array, string name, Func<JsonElement, string> nameOf) =>
        Root.GetProperty(array).EnumerateArray().Single(v => nameOf(v) == name);
}
