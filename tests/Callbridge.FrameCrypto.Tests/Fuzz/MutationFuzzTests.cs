using Callbridge.FrameCrypto.Classification;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.FrameCrypto.SFrame;
using Callbridge.FrameCrypto.Tests.Support;

namespace Callbridge.FrameCrypto.Tests.Fuzz;

/// <summary>
/// Seeded random and mutation loops, 100,000 inputs per parser: only the typed outcome may come out, never an
/// exception, and nothing that fails integrity is ever delivered.
/// </summary>
public sealed class MutationFuzzTests
{
    private const int Iterations = 100_000;
    private static readonly byte[] K0 = Hex.Decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    [Fact]
    public void Sframe_header_parse_never_throws_and_round_trips()
    {
        var rng = new Random(9605);
        var buffer = new byte[24];
        var written = new byte[SFrameHeader.MaxLength];
        int parsed = 0;
        for (int i = 0; i < Iterations; i++)
        {
            int length = rng.Next(0, buffer.Length + 1);
            rng.NextBytes(buffer.AsSpan(0, length));
            if (!SFrameHeader.TryParse(buffer.AsSpan(0, length), out var header, out int consumed))
            {
                Assert.Equal(0, consumed);
                continue;
            }

            parsed++;
            Assert.InRange(consumed, 1, Math.Min(length, SFrameHeader.MaxLength));
            int n = header.WriteTo(written);
            Assert.True(n > 0 && n <= consumed, "minimal encoding is never longer than the parsed one");
            Assert.True(SFrameHeader.TryParse(written.AsSpan(0, n), out var again, out int consumedAgain));
            Assert.Equal(header, again);
            Assert.Equal(n, consumedAgain);
        }

        Assert.True(parsed > Iterations / 2, $"only {parsed} parsed");
    }

    [Fact]
    public void Jframe_decrypt_of_mutated_frames_only_gives_typed_drops()
    {
        // Shared-key mode keeps one GCM attempt per input; the ratchet path is covered below at a smaller count.
        var aesKey = Hex.Decode("00112233445566778899aabbccddeeff");
        using var context = new JFrameContext(sharedKey: true, initialSendCounter: () => 0);
        context.SetKey(aesKey, 0);
        var rng = new Random(4096);
        var seeds = new List<byte[]>();
        foreach (int size in new[] { 1, 3, 10, 40, 300 })
        {
            var plain = new byte[size];
            rng.NextBytes(plain);
            var frame = new byte[size + JFrameContext.Overhead];
            context.Encrypt(size >= 10 ? JFrameKind.VideoKey : JFrameKind.Audio, 1, 2, plain, frame, out _);
            seeds.Add(frame);
        }

        var output = new byte[400];
        var counts = new Dictionary<JFrameDropReason, int>();
        for (int i = 0; i < Iterations; i++)
        {
            var input = Mutate(rng, seeds[rng.Next(seeds.Count)], out bool changed);
            var kind = (JFrameKind)rng.Next(3);
            var result = context.Decrypt(kind, input, output);
            counts[result.DropReason] = counts.GetValueOrDefault(result.DropReason) + 1;
            Assert.True(Enum.IsDefined(result.DropReason));
            if (result.Success)
            {
                Assert.False(changed, "a modified frame was delivered");
                Assert.Equal(input.Length - JFrameContext.Overhead, result.BytesWritten);
            }
            else
            {
                Assert.Equal(0, result.BytesWritten);
            }
        }

        Assert.True(counts.GetValueOrDefault(JFrameDropReason.AuthenticationFailed) > 1000);
        Assert.True(counts.GetValueOrDefault(JFrameDropReason.UnknownKeySlot) > 1000);
        Assert.True(counts.GetValueOrDefault(JFrameDropReason.TooShort) > 100);
        Assert.True(counts.GetValueOrDefault(JFrameDropReason.BadIvLength) > 100);
    }

    [Fact]
    public void Jframe_ratchet_path_on_garbage_leaves_the_ring_unchanged()
    {
        using var context = new JFrameContext(initialSendCounter: () => 0);
        context.SetKey(K0, 0);
        var rng = new Random(8);
        var output = new byte[200];
        for (int i = 0; i < 2_000; i++)
        {
            var input = new byte[rng.Next(31, 150)];
            rng.NextBytes(input);
            input[^2] = 12;
            input[^1] = 0;
            var result = context.Decrypt(JFrameKind.Audio, input, output);
            Assert.Equal(JFrameDropReason.AuthenticationFailed, result.DropReason);
            Assert.Equal(9, result.Attempts);
        }

        Assert.Equal(K0, context.GetKeyMaterial(0));
    }

    [Theory]
    [InlineData(SFrameCipherSuite.AesCtr128HmacSha256_32)]
    [InlineData(SFrameCipherSuite.AesGcm128Sha256_128)]
    public void Sframe_decrypt_of_mutated_frames_only_gives_typed_drops(SFrameCipherSuite suite)
    {
        using var context = new SFrameContext(suite);
        context.SetKey(5, K0);
        context.SetKey(300, K0);
        var rng = new Random((int)suite);
        var seeds = new List<byte[]>();
        foreach (var (kid, size) in new[] { (5UL, 0), (5UL, 20), (300UL, 100) })
        {
            var plain = new byte[size];
            rng.NextBytes(plain);
            var frame = new byte[context.GetCiphertextLength(kid, 70000, size)];
            context.Encrypt(kid, 70000, "meta"u8, plain, frame, out _);
            seeds.Add(frame);
        }

        var output = new byte[200];
        int failures = 0;
        int iterations = suite == SFrameCipherSuite.AesGcm128Sha256_128 ? Iterations / 4 : Iterations;
        for (int i = 0; i < iterations; i++)
        {
            var input = Mutate(rng, seeds[rng.Next(seeds.Count)], out bool changed);
            var reason = context.Decrypt(input, "meta"u8, output, out int written, out _);
            Assert.True(Enum.IsDefined(reason));
            if (reason == SFrameDropReason.None)
            {
                Assert.False(changed, "a modified frame was delivered");
            }
            else
            {
                failures++;
                Assert.Equal(0, written);
            }
        }

        Assert.True(failures > iterations / 2);
    }

    [Fact]
    public void Classifier_and_codec_checks_never_throw()
    {
        var rng = new Random(6716);
        var buffer = new byte[1500];
        var seen = new HashSet<FrameFormat>();
        for (int i = 0; i < Iterations; i++)
        {
            int length = rng.Next(0, i % 10 == 0 ? 1500 : 64);
            rng.NextBytes(buffer.AsSpan(0, length));
            var frame = buffer.AsSpan(0, length);
            Assert.True(Enum.IsDefined(OpusPacketValidator.Validate(frame)));
            Assert.True(Enum.IsDefined(Vp8FrameValidator.Validate(frame, out _)));
            var kind = (MediaKind)(i % 3);
            var c = FrameClassifier.Classify(frame, kind);
            seen.Add(c.Likely);
            _ = JFrameTrailer.TryParse(frame, 1, out _);
        }

        Assert.Contains(FrameFormat.Clear, seen);
        Assert.Contains(FrameFormat.SFrame, seen);
        Assert.Contains(FrameFormat.Unknown, seen);
    }

    private static byte[] Mutate(Random rng, byte[] seed, out bool changed)
    {
        var data = (byte[])seed.Clone();
        changed = true;
        switch (rng.Next(6))
        {
            case 0:
                data[rng.Next(data.Length)] ^= (byte)(1 << rng.Next(8));
                return data;
            case 1:
                return data[..rng.Next(data.Length)];
            case 2:
                data[rng.Next(data.Length)] = (byte)rng.Next(256);
                changed = !data.AsSpan().SequenceEqual(seed);
                return data;
            case 3:
                var longer = new byte[data.Length + rng.Next(1, 8)];
                data.CopyTo(longer, 0);
                rng.NextBytes(longer.AsSpan(data.Length));
                return longer;
            case 4:
                data[^1] = (byte)rng.Next(256);
                data[^2] = (byte)rng.Next(256);
                changed = !data.AsSpan().SequenceEqual(seed);
                return data;
            default:
                changed = false;
                return data;
        }
    }
}
