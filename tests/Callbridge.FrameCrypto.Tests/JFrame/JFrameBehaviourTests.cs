using Callbridge.FrameCrypto.JFrame;
using Callbridge.FrameCrypto.Tests.Support;
using Callbridge.TestSupport;

namespace Callbridge.FrameCrypto.Tests.JFrame;

/// <summary>Key-schedule behaviours of lib-jitsi-meet's Context described in e2ee-jframe.md beyond the vector file.</summary>
public sealed class JFrameBehaviourTests
{
    private static readonly byte[] K0 = Hex.Decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static readonly byte[] K1 = Hex.Decode("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
    private static readonly byte[] Opus = Hex.Decode("780b30557a9fc4e90e33587da2c7ec11365b80a5caef14395e83a8cdf2173c6186abd0f51a3f6489");

    [Fact]
    public void Send_counter_wraps_modulo_0xffff_per_ssrc()
    {
        using var sender = new JFrameContext(initialSendCounter: () => 0xFFFD);
        sender.SetKey(K0, 0);
        var ivs = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            ivs.Add(Hex.Encode(EncryptOk(sender, 0x11223344, 5).AsSpan(Opus.Length + 16, 12)));
        }

        Assert.Equal(["11223344000000050000fffd", "11223344000000050000fffe", "112233440000000500000000"], ivs);

        // A second SSRC has its own counter, starting from the initial value.
        Assert.Equal("aabbccdd000000050000fffd", Hex.Encode(EncryptOk(sender, 0xAABBCCDD, 5).AsSpan(Opus.Length + 16, 12)));

        // sendCount values beyond 0xFFFF are reduced the same way (65535 -> 0, 65536 -> 1).
        sender.SetSendCounter(0x11223344, 65536);
        Assert.Equal("112233440000000500000001", Hex.Encode(EncryptOk(sender, 0x11223344, 5).AsSpan(Opus.Length + 16, 12)));
    }

    [Fact]
    public void Key_index_17_goes_to_slot_1_and_is_written_in_the_trailer()
    {
        using var sender = new JFrameContext(initialSendCounter: () => 0);
        sender.SetKey(K1, 17);
        Assert.Equal(1, sender.CurrentKeyIndex);
        var frame = EncryptOk(sender, 1, 1);
        Assert.Equal(1, frame[^1]);
        Assert.Equal(12, frame[^2]);

        using var receiver = new JFrameContext();
        receiver.SetKey(K1, 1);
        var output = new byte[frame.Length];
        Assert.Equal(JFrameDropReason.None, receiver.Decrypt(JFrameKind.Audio, frame, output).DropReason);
    }

    [Fact]
    public void Ratchet_on_a_non_current_slot_is_decrypted_and_kept()
    {
        // lib-jitsi-meet drops this frame (it ratchets the current slot but retries the KID slot); the
        // compatible improvement ratchets the KID slot itself.
        var k1Ratcheted = new byte[32];
        JFrameKeyDerivation.Ratchet(K1, k1Ratcheted);
        using var sender = new JFrameContext(initialSendCounter: () => 9);
        sender.SetKey(k1Ratcheted, 1);
        var frame = EncryptOk(sender, 7, 7);

        using var receiver = new JFrameContext();
        receiver.SetKey(K1, 1);
        receiver.SetKey(K0, 0);
        var output = new byte[frame.Length];
        var result = receiver.Decrypt(JFrameKind.Audio, frame, output);

        Assert.Equal(JFrameDropReason.None, result.DropReason);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(Opus, output[..result.BytesWritten]);
        Assert.Equal(0, receiver.CurrentKeyIndex);
        Assert.Equal(k1Ratcheted, receiver.GetKeyMaterial(1));
        Assert.Equal(K0, receiver.GetKeyMaterial(0));
    }

    [Fact]
    public void Late_frame_with_the_pre_ratchet_key_is_dropped_after_a_ratchet()
    {
        using var oldSender = new JFrameContext(initialSendCounter: () => 1);
        oldSender.SetKey(K0, 0);
        var late = EncryptOk(oldSender, 1, 1);

        var ratcheted = new byte[32];
        JFrameKeyDerivation.Ratchet(K0, ratcheted);
        using var newSender = new JFrameContext(initialSendCounter: () => 2);
        newSender.SetKey(ratcheted, 0);
        var fresh = EncryptOk(newSender, 1, 2);

        using var receiver = new JFrameContext();
        receiver.SetKey(K0, 0);
        var output = new byte[fresh.Length];
        Assert.Equal(2, receiver.Decrypt(JFrameKind.Audio, fresh, output).Attempts);
        var lateResult = receiver.Decrypt(JFrameKind.Audio, late, output);
        Assert.Equal(JFrameDropReason.AuthenticationFailed, lateResult.DropReason);
        Assert.Equal(9, lateResult.Attempts);
        Assert.Equal(ratcheted, receiver.GetKeyMaterial(0));
    }

    [Fact]
    public void Eight_steps_are_accepted_and_nine_are_not()
    {
        var material = K0;
        var chain = new List<byte[]> { K0 };
        for (int i = 0; i < 9; i++)
        {
            var next = new byte[32];
            JFrameKeyDerivation.Ratchet(material, next);
            chain.Add(material = next);
        }

        using var receiver = new JFrameContext();
        receiver.SetKey(K0, 0);
        var output = new byte[Opus.Length + 30];

        using var nine = new JFrameContext(initialSendCounter: () => 0);
        nine.SetKey(chain[9], 0);
        Assert.Equal(JFrameDropReason.AuthenticationFailed, receiver.Decrypt(JFrameKind.Audio, EncryptOk(nine, 1, 1), output).DropReason);
        Assert.Equal(K0, receiver.GetKeyMaterial(0));

        using var eight = new JFrameContext(initialSendCounter: () => 0);
        eight.SetKey(chain[8], 0);
        var result = receiver.Decrypt(JFrameKind.Audio, EncryptOk(eight, 1, 2), output);
        Assert.Equal(9, result.Attempts);
        Assert.Equal(8, result.RatchetSteps);
        Assert.Equal(chain[8], receiver.GetKeyMaterial(0));

        // The cached chain was handed over: a frame one more step ahead needs one ratchet, not nine.
        Assert.Equal(JFrameDropReason.None, receiver.Decrypt(JFrameKind.Audio, EncryptOk(nine, 1, 3), output).DropReason);
        Assert.Equal(chain[9], receiver.GetKeyMaterial(0));
    }

    [Fact]
    public void Shared_key_mode_never_ratchets()
    {
        var aesKey = Hex.Decode("00112233445566778899aabbccddeeff");
        var other = Hex.Decode("ffeeddccbbaa99887766554433221100");
        using var sender = new JFrameContext(sharedKey: true, initialSendCounter: () => 0);
        sender.SetKey(other, 0);
        using var receiver = new JFrameContext(sharedKey: true);
        receiver.SetKey(aesKey, 0);
        var output = new byte[Opus.Length + 30];
        var result = receiver.Decrypt(JFrameKind.Audio, EncryptOk(sender, 1, 1), output);
        Assert.Equal(JFrameDropReason.AuthenticationFailed, result.DropReason);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(aesKey, receiver.GetKeyMaterial(0));
    }

    [Fact]
    public void Disabled_key_drops_on_both_sides()
    {
        using var context = new JFrameContext();
        context.SetKey(K0, 0);
        var frame = EncryptOk(context, 1, 1);
        context.DisableKey(0);
        var output = new byte[frame.Length];
        Assert.Equal(JFrameEncryptStatus.NoKey, context.Encrypt(JFrameKind.Audio, 1, 1, Opus, output, out _));
        Assert.Equal(JFrameDropReason.UnknownKeySlot, context.Decrypt(JFrameKind.Audio, frame, output).DropReason);
    }

    [Fact]
    public void Malformed_frames_give_typed_reasons()
    {
        using var context = new JFrameContext(initialSendCounter: () => 0);
        context.SetKey(K0, 0);
        var frame = EncryptOk(context, 1, 1);
        var output = new byte[frame.Length];

        Assert.Equal(JFrameDropReason.TooShort, context.Decrypt(JFrameKind.Audio, [], output).DropReason);
        Assert.Equal(JFrameDropReason.UnknownKeySlot, context.Decrypt(JFrameKind.Audio, [0x10], output).DropReason);
        Assert.Equal(JFrameDropReason.TooShort, context.Decrypt(JFrameKind.Audio, [0x00], output).DropReason);

        var badIv = (byte[])frame.Clone();
        badIv[^2] = 16;
        Assert.Equal(JFrameDropReason.BadIvLength, context.Decrypt(JFrameKind.Audio, badIv, output).DropReason);

        var kidHigh = (byte[])frame.Clone();
        kidHigh[^1] = 16;
        Assert.Equal(JFrameDropReason.UnknownKeySlot, context.Decrypt(JFrameKind.Audio, kidHigh, output).DropReason);

        // 29 bytes: kid 0, IV length 12, but no room for prefix + tag + IV.
        var shortFrame = frame[^29..];
        Assert.Equal(JFrameDropReason.TooShort, context.Decrypt(JFrameKind.Audio, shortFrame, output).DropReason);
        Assert.Equal(JFrameDropReason.TooShort, context.Decrypt(JFrameKind.VideoKey, [.. new byte[9], .. frame[^30..]], output).DropReason);
        Assert.Equal(JFrameDropReason.DestinationTooSmall, context.Decrypt(JFrameKind.Audio, frame, new byte[Opus.Length - 1]).DropReason);

        Assert.Equal(JFrameEncryptStatus.TooShort, context.Encrypt(JFrameKind.VideoKey, 1, 1, new byte[9], output, out _));
        Assert.Equal(JFrameEncryptStatus.DestinationTooSmall, context.Encrypt(JFrameKind.Audio, 1, 1, Opus, new byte[Opus.Length + 29], out _));
    }

    [Theory]
    [InlineData(JFrameKind.Audio)]
    [InlineData(JFrameKind.VideoKey)]
    [InlineData(JFrameKind.VideoDelta)]
    public void In_place_round_trip_with_ratchet_retry(JFrameKind kind)
    {
        var ratcheted = new byte[32];
        JFrameKeyDerivation.Ratchet(K0, ratcheted);
        using var sender = new JFrameContext(initialSendCounter: () => 3);
        sender.SetKey(ratcheted, 0);
        using var receiver = new JFrameContext();
        receiver.SetKey(K0, 0);

        var plain = new byte[1200];
        new Random(kind.GetHashCode()).NextBytes(plain);
        var buffer = new byte[plain.Length + 30];
        plain.CopyTo(buffer, 0);
        Assert.Equal(JFrameEncryptStatus.Success, sender.Encrypt(kind, 9, 9, buffer.AsSpan(0, plain.Length), buffer, out int written));
        Assert.Equal(buffer.Length, written);
        Assert.Equal(plain[..JFrameContext.GetClearPrefixLength(kind)], buffer[..JFrameContext.GetClearPrefixLength(kind)]);

        // In place, and needing one ratchet step: the first failed open must not destroy the ciphertext.
        var result = receiver.Decrypt(kind, buffer, buffer);
        Assert.Equal(JFrameDropReason.None, result.DropReason);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(plain, buffer[..result.BytesWritten]);
    }

    [Fact]
    public void Encrypt_and_decrypt_allocate_nothing_per_frame()
    {
        using var context = new JFrameContext(initialSendCounter: () => 0);
        context.SetKey(K0, 0);
        var plain = new byte[1200];
        var frame = new byte[plain.Length + 30];
        var output = new byte[frame.Length];
        for (int i = 0; i < 10; i++)
        {
            context.Encrypt(JFrameKind.VideoDelta, 1, (uint)i, plain, frame, out _);
            context.Decrypt(JFrameKind.VideoDelta, frame, output);
        }

        int delivered = 0;
        long allocated = AllocationMeter.LeastBytesPerPass(() =>
        {
            delivered = 0;
            for (int i = 0; i < 1000; i++)
            {
                context.Encrypt(JFrameKind.VideoDelta, 1, (uint)i, plain, frame, out _);
                delivered += context.Decrypt(JFrameKind.VideoDelta, frame, output).Success ? 1 : 0;
            }
        });

        Assert.Equal(1000, delivered);
        Assert.Equal(0, allocated);
    }

    private static byte[] EncryptOk(JFrameContext sender, uint ssrc, uint timestamp)
    {
        var output = new byte[Opus.Length + JFrameContext.Overhead];
        Assert.Equal(JFrameEncryptStatus.Success, sender.Encrypt(JFrameKind.Audio, ssrc, timestamp, Opus, output, out _));
        return output;
    }
}
