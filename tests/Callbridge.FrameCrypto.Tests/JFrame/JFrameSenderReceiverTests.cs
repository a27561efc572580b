using Callbridge.Conference;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.FrameCrypto.Tests.Support;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Conference;

namespace Callbridge.FrameCrypto.Tests.JFrame;

/// <summary>
/// The publishing bot's sender transform and the receiver-side decryptors: real Opus packets (ffmpeg libopus)
/// go through the media contract's <see cref="AudioPublicationOptions.Transform"/> of a scripted conference and
/// come back out of <see cref="JFrameReceivers{TSender}"/> byte for byte.
/// </summary>
public sealed class JFrameSenderReceiverTests
{
    private static readonly byte[] K0 = Hex.Decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static readonly byte[] K1 = Hex.Decode("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");

    [Fact]
    public async Task A_publication_with_the_sender_transform_puts_JFrames_on_the_wire_that_the_key_holder_decrypts()
    {
        using var sender = new JFrameSender();
        sender.SetKey(K0, 0);
        IReadOnlyList<byte[]> wire = await PublishAsync(sender, RealMedia.Opus.Take(50));

        Assert.Equal(50, wire.Count);
        Assert.Equal(50, sender.FramesEncrypted);
        using var right = new JFrameReceivers<string>();
        right.SetKey(K0, 0);
        using var wrong = new JFrameReceivers<string>();
        wrong.SetKey(K1, 0);
        for (int i = 0; i < wire.Count; i++)
        {
            byte[] original = RealMedia.Opus[i];
            Assert.Equal(original.Length + JFrameSender.MaxOverhead, wire[i].Length);
            Assert.Equal(original[0], wire[i][0]); // the Opus TOC stays in clear
            Assert.Equal(0, wire[i][^1]);
            Assert.Equal(original, Decrypt(right, "alice", wire[i], out var ok));
            Assert.Equal(JFrameDropReason.None, ok.DropReason);
            Decrypt(wrong, "alice", wire[i], out var bad);
            Assert.Equal(JFrameDropReason.AuthenticationFailed, bad.DropReason);
            Assert.Equal(JFrameContext.RatchetWindow + 1, bad.Attempts);
        }
    }

    [Fact]
    public async Task Rotation_to_a_new_index_is_followed_by_a_receiver_holding_both_keys_and_not_by_one_holding_the_old()
    {
        using var sender = new JFrameSender();
        sender.SetKey(K0, 0);
        var before = await PublishAsync(sender, RealMedia.Opus.Take(5));
        sender.SetKey(K1, 17);
        Assert.Equal(1, sender.CurrentKeyIndex);
        var after = await PublishAsync(sender, RealMedia.Opus.Skip(5).Take(5));

        using var both = new JFrameReceivers<string>();
        both.SetKey(K0, 0);
        using var oldOnly = new JFrameReceivers<string>();
        oldOnly.SetKey(K0, 0);
        foreach (var frame in before)
        {
            Decrypt(oldOnly, "bob", frame, out var r);
            Assert.True(r.Success);
        }

        both.SetKey(K1, 1);
        foreach (var frame in before.Concat(after))
        {
            Decrypt(both, "bob", frame, out var r);
            Assert.True(r.Success, r.DropReason.ToString());
        }

        foreach (var frame in after)
        {
            Assert.Equal(1, frame[^1]);
            Decrypt(oldOnly, "bob", frame, out var r);
            Assert.Equal(JFrameDropReason.UnknownKeySlot, r.DropReason);
        }
    }

    [Fact]
    public async Task A_ratcheted_sender_is_followed_by_ratchet_on_failure_per_sender()
    {
        using var alice = new JFrameSender();
        alice.SetKey(K0, 0);
        using var carol = new JFrameSender();
        carol.SetKey(K0, 0);
        Assert.True(alice.RatchetCurrentKey());
        Assert.True(alice.RatchetCurrentKey());
        Assert.Equal(0, alice.CurrentKeyIndex);
        var aliceFrames = await PublishAsync(alice, RealMedia.Opus.Take(3));
        var carolFrames = await PublishAsync(carol, RealMedia.Opus.Take(3));

        using var receivers = new JFrameReceivers<string>();
        receivers.SetKey(K0, 0);
        Decrypt(receivers, "alice", aliceFrames[0], out var first);
        Assert.True(first.Success);
        Assert.Equal(2, first.RatchetSteps);
        Decrypt(receivers, "alice", aliceFrames[1], out var second);
        Assert.Equal(0, second.RatchetSteps);

        // Carol did not ratchet: her context is her own and still holds the original key.
        Decrypt(receivers, "carol", carolFrames[0], out var carolFirst);
        Assert.True(carolFirst.Success);
        Assert.Equal(0, carolFirst.RatchetSteps);

        // Re-giving the same key (a re-read key file) keeps Alice's ratchet state.
        Assert.False(receivers.SetKey(K0, 0));
        Decrypt(receivers, "alice", aliceFrames[2], out var third);
        Assert.Equal(0, third.RatchetSteps);
        Assert.Equal(2, receivers.SenderCount);
    }

    [Fact]
    public void Without_a_key_the_transform_drops_instead_of_sending_clear_media()
    {
        using var sender = new JFrameSender();
        var output = new byte[RealMedia.Opus[0].Length + JFrameSender.MaxOverhead];
        Assert.Equal(-1, sender.Transform(RealMedia.Opus[0], 1, 960, output));
        Assert.False(sender.RatchetCurrentKey());
        Assert.Equal(1, sender.FramesDropped);
        Assert.Equal(0, sender.FramesEncrypted);

        sender.SetKey(K0, 0);
        Assert.Equal(-1, sender.Transform(RealMedia.Opus[0], 1, 960, output.AsSpan(0, 10)));
        Assert.Equal(RealMedia.Opus[0].Length + 30, sender.Transform(RealMedia.Opus[0], 1, 960, output));

        using var receivers = new JFrameReceivers<uint>();
        Assert.False(receivers.HasKeys);
        var plain = new byte[output.Length];
        Assert.Equal(JFrameDropReason.UnknownKeySlot, receivers.Decrypt(1, JFrameKind.Audio, output, plain).DropReason);
    }

    [Fact]
    public void Sender_transform_and_receiver_decrypt_allocate_nothing_per_frame()
    {
        using var sender = new JFrameSender(initialSendCounter: () => 0);
        sender.SetKey(K0, 0);
        using var receivers = new JFrameReceivers<uint>();
        receivers.SetKey(K0, 0);
        OutgoingFrameTransform transform = sender.Transform;
        byte[] opus = RealMedia.Opus[10];
        var wire = new byte[opus.Length + JFrameSender.MaxOverhead];
        var plain = new byte[wire.Length];
        for (int i = 0; i < 10; i++)
        {
            int n = transform(opus, 0xABCDEF, (uint)(i * 960), wire);
            receivers.Decrypt(0xABCDEF, JFrameKind.Audio, wire.AsSpan(0, n), plain);
        }

        int delivered = 0;
        long allocated = AllocationMeter.LeastBytesPerPass(() =>
        {
            delivered = 0;
            for (int i = 0; i < 1000; i++)
            {
                int n = transform(opus, 0xABCDEF, (uint)(i * 960), wire);
                delivered += receivers.Decrypt(0xABCDEF, JFrameKind.Audio, wire.AsSpan(0, n), plain).Success ? 1 : 0;
            }
        });

        Assert.Equal(1000, delivered);
        Assert.Equal(0, allocated);
    }

    /// <summary>Publishes through a scripted conference with the sender as the publication's transform.</summary>
    private static async Task<IReadOnlyList<byte[]>> PublishAsync(JFrameSender sender, IEnumerable<byte[]> frames)
    {
        var conference = new ScriptedConference("1234");
        await using var session = await conference.JoinAsync(new ConferenceJoinRequest("1234", "bot", BotRole.SubscriberAndPublisher), CancellationToken.None);
        await using var publication = await session.PublishAudioAsync(new AudioPublicationOptions(sender.Transform, JFrameSender.MaxOverhead), CancellationToken.None);
        foreach (var frame in frames)
        {
            Assert.True(publication.TrySendOpus(frame));
        }

        return ((ScriptedAudioPublication)publication).Packets;
    }

    private static byte[] Decrypt(JFrameReceivers<string> receivers, string sender, byte[] frame, out JFrameDecryptResult result)
    {
        var plain = new byte[frame.Length];
        result = receivers.Decrypt(sender, JFrameKind.Audio, frame, plain);
        return plain[..result.BytesWritten];
    }
}
