namespace Callbridge.Srtp.Tests;

public sealed class SrtpHotPathTests
{
    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80)]
    [InlineData(SrtpProfile.AeadAes128Gcm)]
    public void Protect_and_unprotect_allocate_nothing_per_packet(SrtpProfile profile)
    {
        byte[] key = new byte[16];
        byte[] salt = new byte[SrtpProfileInfo.MasterSaltLength(profile)];
        using SrtpSession sender = SrtpSession.Create(profile, SrtpDirection.Outbound, key, salt);
        using SrtpSession receiver = SrtpSession.Create(profile, SrtpDirection.Inbound, key, salt);
        byte[] plain = TestPackets.Rtp(0, 1, 1188);
        byte[] buffer = new byte[plain.Length + 16];
        byte[] rtcp = TestPackets.RtcpReceiverReport(1);
        byte[] rtcpBuffer = new byte[rtcp.Length + 20];

        // Warm up (JIT, P/Invoke stubs, libsrtp stream creation for this SSRC).
        RunPackets(sender, receiver, plain, buffer, rtcp, rtcpBuffer, 0, 100);

        long before = GC.GetAllocatedBytesForCurrentThread();
        int failures = RunPackets(sender, receiver, plain, buffer, rtcp, rtcpBuffer, 100, 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, failures);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Sessions_can_be_created_and_used_from_many_threads_at_once()
    {
        int failures = 0;
        Parallel.For(0, 64, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            byte[] key = new byte[16];
            byte[] salt = new byte[14];
            key[0] = (byte)i;
            using SrtpSession sender = SrtpSession.Create(SrtpProfile.Aes128CmHmacSha1_80, SrtpDirection.Outbound, key, salt);
            using SrtpSession receiver = SrtpSession.Create(SrtpProfile.Aes128CmHmacSha1_80, SrtpDirection.Inbound, key, salt);
            byte[] plain = TestPackets.Rtp((ushort)i, (uint)i, 100);
            byte[] buffer = new byte[plain.Length + 10];
            plain.CopyTo(buffer, 0);
            if (sender.Protect(buffer, plain.Length, out int length) != SrtpStatus.Ok
                || receiver.Unprotect(buffer.AsSpan(0, length), out int rtpLength) != SrtpStatus.Ok
                || !buffer.AsSpan(0, rtpLength).SequenceEqual(plain))
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    private static int RunPackets(SrtpSession sender, SrtpSession receiver, byte[] plain, byte[] buffer, byte[] rtcp, byte[] rtcpBuffer, int start, int count)
    {
        int failures = 0;
        for (int i = start; i < start + count; i++)
        {
            plain.CopyTo(buffer, 0);
            buffer[2] = (byte)(i >> 8);
            buffer[3] = (byte)i;
            if (sender.Protect(buffer, plain.Length, out int length) != SrtpStatus.Ok
                || receiver.Unprotect(buffer.AsSpan(0, length), out _) != SrtpStatus.Ok)
            {
                failures++;
            }

            rtcp.CopyTo(rtcpBuffer, 0);
            if (sender.ProtectRtcp(rtcpBuffer, rtcp.Length, out int rtcpLength) != SrtpStatus.Ok
                || receiver.UnprotectRtcp(rtcpBuffer.AsSpan(0, rtcpLength), out _) != SrtpStatus.Ok)
            {
                failures++;
            }
        }

        return failures;
    }
}
