using System.Text.Json;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.FrameCrypto.Tests.Support;

namespace Callbridge.FrameCrypto.Tests.JFrame;

/// <summary>Every vector of jframe-vectors.json (produced by lib-jitsi-meet's own Context.ts under Node).</summary>
public sealed class JFrameVectorTests
{
    public static TheoryData<string> PositiveNames() => JFrameVectors.PositiveNames();

    public static TheoryData<string> NegativeNames() => JFrameVectors.NegativeNames();

    [Theory]
    [MemberData(nameof(PositiveNames))]
    public void Sender_produces_the_exact_frames(string name)
    {
        var vector = JFrameVectors.Positive(name);
        bool shared = vector.TryGetProperty("shared_key_mode", out var s) && s.GetBoolean();
        var first = vector.GetProperty("frames")[0];
        using var sender = new JFrameContext(shared, () => first.GetProperty("stub_initial_send_count").GetUInt32());
        var key = shared ? vector.GetProperty("aes_gcm_key") : vector.GetProperty("sender_key_material");
        sender.SetKey(Hex.Decode(key.GetString()!), vector.GetProperty("sender_set_key_index").GetInt32());

        foreach (var frame in vector.GetProperty("frames").EnumerateArray())
        {
            var plaintext = Hex.Decode(frame.GetProperty("plaintext_frame").GetString()!);
            if (frame.TryGetProperty("stub_initial_send_count", out var initial))
            {
                // Each frame that names a stubbed initial count starts a new SSRC or restates it.
                sender.SetSendCounter(frame.GetProperty("ssrc").GetUInt32(), initial.GetUInt32());
            }

            var output = new byte[plaintext.Length + JFrameContext.Overhead];
            var status = sender.Encrypt(
                JFrameVectors.KindOfFrame(frame),
                frame.GetProperty("ssrc").GetUInt32(),
                frame.GetProperty("rtp_timestamp").GetUInt32(),
                plaintext,
                output,
                out int written);

            Assert.Equal(JFrameEncryptStatus.Success, status);
            Assert.Equal(output.Length, written);
            Assert.Equal(frame.GetProperty("encrypted_frame").GetString(), Hex.Encode(output));
            Assert.Equal(frame.GetProperty("iv").GetString(), Hex.Encode(output.AsSpan(written - 14, 12)));
        }
    }

    [Theory]
    [MemberData(nameof(PositiveNames))]
    public void Receiver_decrypts_with_the_same_attempts_and_ring(string name)
    {
        var vector = JFrameVectors.Positive(name);
        bool shared = vector.TryGetProperty("shared_key_mode", out var s) && s.GetBoolean();
        using var receiver = shared ? new JFrameContext(sharedKey: true) : JFrameVectors.ReceiverFrom(vector.GetProperty("receiver_ring_before"));
        if (shared)
        {
            receiver.SetKey(Hex.Decode(vector.GetProperty("aes_gcm_key").GetString()!), vector.GetProperty("sender_set_key_index").GetInt32());
        }

        foreach (var frame in vector.GetProperty("frames").EnumerateArray())
        {
            var encrypted = Hex.Decode(frame.GetProperty("encrypted_frame").GetString()!);
            var output = new byte[encrypted.Length];
            var result = receiver.Decrypt(JFrameVectors.KindOfFrame(frame), encrypted, output);

            Assert.Equal(JFrameDropReason.None, result.DropReason);
            Assert.Equal(frame.GetProperty("plaintext_frame").GetString(), Hex.Encode(output.AsSpan(0, result.BytesWritten)));
            Assert.Equal(frame.GetProperty("receiver_decrypt_attempts").GetInt32(), result.Attempts);
            if (frame.TryGetProperty("receiver_ratchet_derivations", out var ratchets))
            {
                Assert.Equal(ratchets.GetInt32(), result.RatchetSteps);
            }

            if (frame.TryGetProperty("receiver_ring_after", out var ringAfter))
            {
                JFrameVectors.AssertRing(ringAfter, receiver);
            }

            if (frame.TryGetProperty("tampered_byte5_result", out var tampered))
            {
                encrypted[5] ^= 0x01;
                var bad = receiver.Decrypt(JFrameVectors.KindOfFrame(frame), encrypted, output);
                Assert.Equal(tampered.GetProperty("delivered").GetBoolean(), bad.Success);
                Assert.Equal(JFrameDropReason.AuthenticationFailed, bad.DropReason);
                Assert.Equal(tampered.GetProperty("decrypt_attempts").GetInt32(), bad.Attempts);
            }
        }
    }

    [Theory]
    [MemberData(nameof(NegativeNames))]
    public void Negative_vector_is_dropped_and_ring_unchanged_then_original_decrypts(string name)
    {
        var vector = JFrameVectors.Negative(name);
        var expected = vector.GetProperty("expected");
        using var receiver = JFrameVectors.ReceiverFrom(vector.GetProperty("receiver_ring_before"));
        var kind = JFrameVectors.KindOf(vector.GetProperty("receiver_frame_type"));
        var input = Hex.Decode(vector.GetProperty("input_frame").GetString()!);
        var output = new byte[input.Length];

        var result = receiver.Decrypt(kind, input, output);

        Assert.False(expected.GetProperty("delivered").GetBoolean());
        Assert.False(result.Success);
        Assert.Equal(expected.GetProperty("decrypt_attempts").GetInt32(), result.Attempts);
        Assert.Equal(ExpectedReason(name), result.DropReason);
        Assert.Equal(0, result.BytesWritten);
        JFrameVectors.AssertRing(expected.GetProperty("receiver_ring_after"), receiver);

        var original = FindOriginal(input);
        var followup = receiver.Decrypt(JFrameVectors.KindOfFrame(original), Hex.Decode(original.GetProperty("encrypted_frame").GetString()!), output);
        var followupExpected = vector.GetProperty("followup_result");
        Assert.Equal(followupExpected.GetProperty("delivered").GetBoolean(), followup.Success);
        Assert.Equal(followupExpected.GetProperty("decrypt_attempts").GetInt32(), followup.Attempts);
        Assert.Equal(followupExpected.GetProperty("ratchet_derivations").GetInt32(), followup.RatchetSteps);
        Assert.Equal(original.GetProperty("plaintext_frame").GetString(), Hex.Encode(output.AsSpan(0, followup.BytesWritten)));
    }

    [Theory]
    [InlineData("ratchet_chain_K0")]
    [InlineData("ratchet_chain_upstream_spec_key")]
    public void Ratchet_chain_and_aes_keys_match(string chainName)
    {
        var chain = JFrameVectors.Root.GetProperty(chainName).EnumerateArray().ToArray();
        var material = Hex.Decode(chain[0].GetProperty("material").GetString()!);
        Span<byte> aesKey = stackalloc byte[16];
        Span<byte> next = stackalloc byte[32];
        foreach (var step in chain)
        {
            Assert.Equal(step.GetProperty("material").GetString(), Hex.Encode(material));
            JFrameKeyDerivation.DeriveAesKey(material, aesKey);
            Assert.Equal(step.GetProperty("aes_gcm_key").GetString(), Hex.Encode(aesKey));
            JFrameKeyDerivation.Ratchet(material, next);
            material = next.ToArray();
        }
    }

    [Theory]
    [MemberData(nameof(PositiveNames))]
    public void Aes_key_field_is_the_hkdf_of_the_sender_material(string name)
    {
        var vector = JFrameVectors.Positive(name);
        if (!vector.TryGetProperty("sender_key_material", out var material))
        {
            // Shared-key mode: the AES key is given directly, there is no material to derive from.
            Assert.True(vector.GetProperty("shared_key_mode").GetBoolean());
            return;
        }

        Span<byte> aesKey = stackalloc byte[16];
        JFrameKeyDerivation.DeriveAesKey(Hex.Decode(material.GetString()!), aesKey);
        Assert.Equal(vector.GetProperty("aes_gcm_key").GetString(), Hex.Encode(aesKey));
    }

    private static JFrameDropReason ExpectedReason(string name) => name switch
    {
        "wrong_key_index_empty_slot" or "truncated_last_byte" => JFrameDropReason.UnknownKeySlot,
        _ => JFrameDropReason.AuthenticationFailed,
    };

    /// <summary>The positive-vector frame carrying the same IV: the "untampered original".</summary>
    private static JsonElement FindOriginal(byte[] input)
    {
        // A truncated frame lost its last byte: its IV sits one byte earlier.
        var candidates = JFrameVectors.AllPositiveFrames().Where(f => f.TryGetProperty("receiver_ring_after", out _)).ToList();
        foreach (int end in new[] { input.Length - 2, input.Length - 1 })
        {
            var iv = Hex.Encode(input.AsSpan(end - 12, 12));
            var match = candidates.FirstOrDefault(f => f.GetProperty("iv").GetString() == iv);
            if (match.ValueKind != JsonValueKind.Undefined)
            {
                return match;
            }
        }

        throw new InvalidDataException("no original frame for the negative vector");
    }
}
