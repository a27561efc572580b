using Callbridge.ClientCaptions.Keys;
using Callbridge.ClientCaptions.Media;
using Callbridge.ClientCaptions.Tests.Support;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Media;

namespace Callbridge.ClientCaptions.Tests.Media;

/// <summary>Real libopus packets of flite speech, encrypted by the JFrame sender transform, through the decryptor.</summary>
public sealed class AudioFrameDecryptorTests
{
    private static readonly byte[] K0 = Convert.FromHexString("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static readonly byte[] K1 = Convert.FromHexString("a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf");
    private static readonly Lazy<Task<List<byte[]>>> Speech = new(() => SpeechPackets.SpeakAsync("the weather is nice today", FliteVoice.Slt, 0.2));

    [Fact]
    public async Task The_right_key_gives_back_the_sent_Opus_and_clear_Opus_passes_as_it_is()
    {
        var packets = await Speech.Value;
        using var sender = new JFrameSender();
        sender.SetKey(K0, 0);
        using var decryptor = new AudioFrameDecryptor();
        decryptor.SetKey(new ConferenceKey(0, K0));
        var opus = new byte[2048];
        uint rtp = 0;
        foreach (var packet in packets)
        {
            var wire = Encrypt(sender, packet, rtp += 960);
            var result = decryptor.Process("alice", "alice/0", wire, opus);
            Assert.Equal(FrameDisposition.Decrypted, result.Disposition);
            Assert.Equal(packet, opus[..result.BytesWritten]);

            var clear = decryptor.Process("bob", "bob/0", packet, opus);
            Assert.Equal(FrameDisposition.Clear, clear.Disposition);
            Assert.Equal(packet, opus[..clear.BytesWritten]);
        }
    }

    [Fact]
    public async Task A_wrong_key_or_no_key_never_lets_ciphertext_through()
    {
        var packets = await Speech.Value;
        using var sender = new JFrameSender();
        sender.SetKey(K0, 0);
        using var wrong = new AudioFrameDecryptor();
        wrong.SetKey(new ConferenceKey(0, K1));
        using var none = new AudioFrameDecryptor();
        var opus = new byte[2048];
        uint rtp = 0;
        foreach (var packet in packets)
        {
            var wire = Encrypt(sender, packet, rtp += 960);
            var w = wrong.Process("alice", "alice/0", wire, opus);
            Assert.Equal(FrameDisposition.Undecryptable, w.Disposition);
            Assert.Equal(UndecryptableReason.WrongKey, w.Reason);
            Assert.Equal(JFrameDropReason.AuthenticationFailed, w.DropReason);
            var n = none.Process("alice", "alice/0", wire, opus);
            Assert.Equal(FrameDisposition.Undecryptable, n.Disposition);
            Assert.Equal(UndecryptableReason.NoKey, n.Reason);
        }

        // Not Opus and not JFrame (e.g. SFrame or garbage): refused too.
        var garbage = new byte[] { 0x03, 0xff, 0xff, 0xff, 0xff };
        Assert.Equal(UndecryptableReason.NotJFrameOrOpus, none.Process("carol", "carol/0", garbage, opus).Reason);
    }

    [Fact]
    public async Task Rotation_needs_the_new_key_and_a_ratchet_is_followed_without_one()
    {
        var packets = await Speech.Value;
        using var sender = new JFrameSender();
        sender.SetKey(K0, 0);
        using var decryptor = new AudioFrameDecryptor();
        decryptor.SetKey(new ConferenceKey(0, K0));
        var opus = new byte[2048];

        Assert.True(sender.RatchetCurrentKey());
        var afterRatchet = decryptor.Process("alice", "alice/0", Encrypt(sender, packets[0], 960), opus);
        Assert.Equal(FrameDisposition.Decrypted, afterRatchet.Disposition);
        Assert.Equal(1, afterRatchet.RatchetSteps);

        sender.SetKey(K1, 1);
        var rotated = Encrypt(sender, packets[1], 1920);
        var missing = decryptor.Process("alice", "alice/0", rotated, opus);
        Assert.Equal(UndecryptableReason.UnknownKeyIndex, missing.Reason);
        Assert.True(decryptor.SetKey(new ConferenceKey(1, K1)));
        Assert.False(decryptor.SetKey(new ConferenceKey(1, K1)));
        Assert.Equal(FrameDisposition.Decrypted, decryptor.Process("alice", "alice/0", rotated, opus).Disposition);
    }

    [Fact]
    public async Task Once_a_track_is_known_to_be_clear_an_Opus_packet_that_ends_like_a_trailer_still_passes()
    {
        var packets = await Speech.Value;
        using var decryptor = new AudioFrameDecryptor();
        decryptor.SetKey(new ConferenceKey(0, K0));
        var opus = new byte[2048];
        foreach (var packet in packets.Take(20))
        {
            Assert.Equal(FrameDisposition.Clear, decryptor.Process("bob", "bob/0", packet, opus).Disposition);
        }

        // A code-3 Opus packet with padding bytes chosen so that it ends in 0x0C 0x03, as a trailer would.
        byte[] lookalike = new byte[60];
        lookalike[0] = 0x7B; // config 15 (hybrid FB 20 ms), mono, code 3
        lookalike[1] = 0x41; // VBR off, padding on, 1 frame
        lookalike[2] = 0x00; // no padding bytes
        lookalike[^2] = 0x0C;
        lookalike[^1] = 0x03;
        var result = decryptor.Process("bob", "bob/0", lookalike, opus);
        Assert.Equal(FrameDisposition.Clear, result.Disposition);
    }

    [Fact]
    public async Task Processing_allocates_nothing_per_frame()
    {
        var packets = await Speech.Value;
        using var sender = new JFrameSender(initialSendCounter: () => 0);
        sender.SetKey(K0, 0);
        using var decryptor = new AudioFrameDecryptor();
        decryptor.SetKey(new ConferenceKey(0, K0));
        var wire = packets.Take(100).Select((p, i) => Encrypt(sender, p, (uint)(i * 960))).ToArray();
        var opus = new byte[2048];
        int delivered = 0;
        long allocated = AllocationMeter.LeastBytesPerPass(() =>
        {
            delivered = 0;
            for (int i = 0; i < wire.Length; i++)
            {
                delivered += decryptor.Process("alice", "alice/0", wire[i], opus).BytesWritten > 0 ? 1 : 0;
                delivered += decryptor.Process("bob", "bob/0", packets[i], opus).BytesWritten > 0 ? 1 : 0;
            }
        });

        Assert.Equal(0, allocated);
        Assert.Equal(200, delivered);
    }

    [Fact]
    public async Task Damaged_frames_on_an_encrypted_track_are_never_passed_on_as_clear_nor_decrypted_to_other_bytes()
    {
        var packets = await Speech.Value;
        using var sender = new JFrameSender(initialSendCounter: () => 0);
        sender.SetKey(K0, 3);
        var wire = packets.Select((p, i) => Encrypt(sender, p, (uint)(i * 960))).ToArray();
        using var decryptor = new AudioFrameDecryptor();
        decryptor.SetKey(new ConferenceKey(3, K0));
        var opus = new byte[4096];
        foreach (var frame in wire.Take(20))
        {
            Assert.Equal(FrameDisposition.Decrypted, decryptor.Process("alice", "alice/0", frame, opus).Disposition);
        }

        // Seeded mutations (flip, replace, truncate, extend), each followed by an intact frame as on a live track.
        // A failed frame costs up to 9 GCM attempts, hence 20,000 rather than 100,000 inputs.
        var random = new Random(8);
        int refused = 0;
        for (int i = 0; i < 20_000; i++)
        {
            int n = random.Next(wire.Length);
            byte[] original = wire[n];
            byte[] mutated = Mutate(random, original);
            var result = decryptor.Process("alice", "alice/0", mutated, opus);
            Assert.True(Enum.IsDefined(result.Disposition));
            Assert.NotEqual(FrameDisposition.Clear, result.Disposition);
            if (result.Disposition == FrameDisposition.Decrypted)
            {
                // Only a mutation that left the frame as it was can decrypt, and then to the sent packet.
                Assert.Equal(original, mutated);
                Assert.Equal(packets[n], opus[..result.BytesWritten]);
            }
            else
            {
                refused++;
                Assert.Equal(0, result.BytesWritten);
            }

            Assert.Equal(FrameDisposition.Decrypted, decryptor.Process("alice", "alice/0", wire[(n + 1) % wire.Length], opus).Disposition);
        }

        Assert.True(refused > 19_000, refused.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static byte[] Mutate(Random random, byte[] frame)
    {
        var bytes = frame.ToList();
        switch (random.Next(4))
        {
            case 0:
                int at = random.Next(bytes.Count);
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1:
                bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                break;
            case 2:
                int start = random.Next(bytes.Count);
                bytes.RemoveRange(start, Math.Min(bytes.Count - start, 1 + random.Next(8)));
                break;
            default:
                bytes.Insert(random.Next(bytes.Count + 1), (byte)random.Next(256));
                break;
        }

        return [.. bytes];
    }

    internal static byte[] Encrypt(JFrameSender sender, byte[] packet, uint rtp)
    {
        var wire = new byte[packet.Length + JFrameSender.MaxOverhead];
        int n = sender.Transform(packet, 0x1234, rtp, wire);
        Assert.Equal(wire.Length, n);
        return wire;
    }
}
