using Callbridge.FrameCrypto.SFrame;
using Callbridge.TestSupport;

namespace Callbridge.FrameCrypto.Tests.SFrame;

public sealed class SFrameBehaviourTests
{
    private static readonly byte[] BaseKey = Convert.FromHexString("101112131415161718191a1b1c1d1e1f");

    public static TheoryData<SFrameCipherSuite> Suites() =>
        [SFrameCipherSuite.AesCtr128HmacSha256_80, SFrameCipherSuite.AesCtr128HmacSha256_64, SFrameCipherSuite.AesCtr128HmacSha256_32,
         SFrameCipherSuite.AesGcm128Sha256_128, SFrameCipherSuite.AesGcm256Sha512_128];

    [Theory]
    [MemberData(nameof(Suites))]
    public void Round_trip_in_place_across_ctr_chunks_with_auto_counter(SFrameCipherSuite suite)
    {
        using var sender = new SFrameContext(suite);
        using var receiver = new SFrameContext(suite);
        sender.SetKey(0x1234, BaseKey);
        receiver.SetKey(0x1234, BaseKey);
        var rng = new Random((int)suite);
        var metadata = new byte[300];
        rng.NextBytes(metadata);
        for (int n = 0; n < 4; n++)
        {
            // 0, 511, 512+1 and 1,500 bytes: empty, inside one keystream chunk, and across chunks.
            int size = new[] { 0, 511, 513, 1500 }[n];
            var plain = new byte[size];
            rng.NextBytes(plain);
            var buffer = new byte[size + SFrameHeader.MaxLength + 16];
            plain.CopyTo(buffer, 0);
            Assert.Equal(SFrameEncryptStatus.Success, sender.Encrypt(0x1234, metadata, buffer.AsSpan(0, size), buffer, out int written));
            Assert.True(SFrameHeader.TryParse(buffer, out var header, out _));
            Assert.Equal(new SFrameHeader(0x1234, (ulong)n), header);

            Assert.Equal(SFrameDropReason.None, receiver.Decrypt(buffer.AsSpan(0, written), metadata, buffer, out int ptLength, out _));
            Assert.Equal(plain, buffer[..ptLength]);
        }
    }

    [Fact]
    public void Typed_drops_for_unknown_kid_truncation_and_small_destination()
    {
        using var context = new SFrameContext(SFrameCipherSuite.AesGcm128Sha256_128);
        context.SetKey(1, BaseKey);
        var frame = new byte[64];
        Assert.Equal(SFrameEncryptStatus.UnknownKeyId, context.Encrypt(2, 0, default, new byte[10], frame, out _));
        Assert.Equal(SFrameEncryptStatus.DestinationTooSmall, context.Encrypt(1, 0, default, new byte[10], new byte[26], out _));
        Assert.Equal(SFrameEncryptStatus.Success, context.Encrypt(1, 0, default, new byte[10], frame, out int written));
        var output = new byte[64];
        Assert.Equal(SFrameDropReason.None, context.Decrypt(frame.AsSpan(0, written), default, output, out _, out _));
        Assert.Equal(SFrameDropReason.TooShort, context.Decrypt([], default, output, out _, out _));
        Assert.Equal(SFrameDropReason.TooShort, context.Decrypt(frame.AsSpan(0, 16), default, output, out _, out _));
        Assert.Equal(SFrameDropReason.DestinationTooSmall, context.Decrypt(frame.AsSpan(0, written), default, new byte[9], out _, out _));
        Assert.True(context.RemoveKey(1));
        Assert.Equal(SFrameDropReason.UnknownKeyId, context.Decrypt(frame.AsSpan(0, written), default, output, out _, out _));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Encrypt_and_decrypt_allocate_nothing_per_frame(SFrameCipherSuite suite)
    {
        using var context = new SFrameContext(suite);
        context.SetKey(7, BaseKey);
        var plain = new byte[1200];
        var frame = new byte[1300];
        var output = new byte[1300];
        for (int i = 0; i < 10; i++)
        {
            context.Encrypt(7, (ulong)i, "m"u8, plain, frame, out int w);
            context.Decrypt(frame.AsSpan(0, w), "m"u8, output, out _, out _);
        }

        int delivered = 0;
        ulong counter = 10;
        long allocated = AllocationMeter.LeastBytesPerPass(() =>
        {
            delivered = 0;
            for (int i = 0; i < 1000; i++)
            {
                context.Encrypt(7, counter++, "m"u8, plain, frame, out int w);
                delivered += context.Decrypt(frame.AsSpan(0, w), "m"u8, output, out _, out _) == SFrameDropReason.None ? 1 : 0;
            }
        });

        Assert.Equal(1000, delivered);
        Assert.Equal(0, allocated);
    }
}
