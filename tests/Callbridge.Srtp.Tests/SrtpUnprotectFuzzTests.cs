namespace Callbridge.Srtp.Tests;

/// <summary>
/// Seeded random and mutation loops: 100,000 hostile inputs per entry point. Only typed statuses may come
/// out, never an exception or a crash, and no forged or mutated packet may verify.
/// </summary>
public sealed class SrtpUnprotectFuzzTests
{
    private const int Iterations = 100_000;

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Mutated_and_random_srtp_only_yields_typed_failures(SrtpProfile profile)
    {
        var random = new Random(20261122);
        byte[] key = new byte[16];
        byte[] salt = new byte[SrtpProfileInfo.MasterSaltLength(profile)];
        random.NextBytes(key);
        random.NextBytes(salt);
        using SrtpSession sender = SrtpSession.Create(profile, SrtpDirection.Outbound, key, salt);
        using SrtpSession receiver = SrtpSession.Create(profile, SrtpDirection.Inbound, key, salt);

        // A pool of valid packets with CSRCs and header extensions to mutate from.
        var valid = new List<byte[]>();
        for (ushort seq = 0; seq < 64; seq++)
        {
            byte[] plain = TestPackets.RtpWithCsrcsAndExtension(seq, 0x0BADF00D, random.Next(0, 300), random.Next(0, 4), random.Next(0, 3));
            byte[] buffer = new byte[plain.Length + 16];
            plain.CopyTo(buffer, 0);
            Assert.Equal(SrtpStatus.Ok, sender.Protect(buffer, plain.Length, out int length));
            valid.Add(buffer[..length]);
        }

        var seen = new Dictionary<SrtpStatus, int>();
        byte[] work = new byte[2048];
        for (int i = 0; i < Iterations; i++)
        {
            int length;
            if (i % 4 == 0)
            {
                length = random.Next(0, 400);
                random.NextBytes(work.AsSpan(0, length));
                if (length > 0 && random.Next(2) == 0)
                {
                    work[0] = (byte)(0x80 | (work[0] & 0x3F)); // version 2, so the header checks pass more often
                }
            }
            else
            {
                byte[] source = valid[random.Next(valid.Count)];
                length = source.Length;
                source.CopyTo(work, 0);
                int flips = random.Next(1, 4);
                for (int f = 0; f < flips; f++)
                {
                    work[random.Next(length)] ^= (byte)random.Next(1, 256);
                }

                if (random.Next(8) == 0)
                {
                    length = random.Next(0, length);
                }
                else if (work.AsSpan(0, length).SequenceEqual(source))
                {
                    // Two flips of one byte cancelled out: that is the valid packet, not a mutation.
                    work[0] ^= 0x01;
                }
            }

            SrtpStatus status = receiver.Unprotect(work.AsSpan(0, length), out int rtpLength);
            Assert.NotEqual(SrtpStatus.Ok, status);
            Assert.Equal(0, rtpLength);
            seen[status] = seen.GetValueOrDefault(status) + 1;
        }

        Assert.True(seen.GetValueOrDefault(SrtpStatus.AuthenticationFailed) > Iterations / 2);
        Assert.True(seen.GetValueOrDefault(SrtpStatus.BadLength) > 0);
    }

    [Fact]
    public void Mutated_and_random_srtcp_only_yields_typed_failures()
    {
        var random = new Random(7714);
        byte[] key = new byte[16];
        byte[] salt = new byte[14];
        random.NextBytes(key);
        random.NextBytes(salt);
        using SrtpSession sender = SrtpSession.Create(SrtpProfile.Aes128CmHmacSha1_80, SrtpDirection.Outbound, key, salt);
        using SrtpSession receiver = SrtpSession.Create(SrtpProfile.Aes128CmHmacSha1_80, SrtpDirection.Inbound, key, salt);
        byte[] plain = TestPackets.RtcpReceiverReport(99);
        byte[] valid = new byte[plain.Length + sender.RtcpTrailerLength];
        plain.CopyTo(valid, 0);
        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(valid, plain.Length, out int validLength));

        byte[] work = new byte[512];
        for (int i = 0; i < Iterations; i++)
        {
            int length;
            if (i % 2 == 0)
            {
                length = random.Next(0, 200);
                random.NextBytes(work.AsSpan(0, length));
            }
            else
            {
                length = validLength;
                valid.AsSpan(0, length).CopyTo(work);
                work[random.Next(length)] ^= (byte)random.Next(1, 256); // a single non-zero flip always changes the packet
            }

            SrtpStatus status = receiver.UnprotectRtcp(work.AsSpan(0, length), out _);
            Assert.NotEqual(SrtpStatus.Ok, status);
        }
    }
}
