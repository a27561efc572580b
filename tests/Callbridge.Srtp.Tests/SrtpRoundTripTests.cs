namespace Callbridge.Srtp.Tests;

public sealed class SrtpRoundTripTests
{
    public static TheoryData<SrtpProfile> Profiles => new()
    {
        SrtpProfile.Aes128CmHmacSha1_80,
        SrtpProfile.Aes128CmHmacSha1_32,
        SrtpProfile.AeadAes128Gcm,
    };

    private static (SrtpSession Sender, SrtpSession Receiver) Pair(SrtpProfile profile, SrtpSessionOptions? options = null)
    {
        byte[] key = new byte[SrtpProfileInfo.MasterKeyLength(profile)];
        byte[] salt = new byte[SrtpProfileInfo.MasterSaltLength(profile)];
        new Random(1234).NextBytes(key);
        new Random(5678).NextBytes(salt);
        return (SrtpSession.Create(profile, SrtpDirection.Outbound, key, salt, options),
                SrtpSession.Create(profile, SrtpDirection.Inbound, key, salt, options));
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Rtp_protected_by_one_session_is_recovered_by_another_keyed_the_same(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            for (ushort seq = 1000; seq < 1010; seq++)
            {
                byte[] plain = TestPackets.Rtp(seq, 0x11223344, 160);
                byte[] buffer = new byte[plain.Length + sender.RtpTrailerLength];
                plain.CopyTo(buffer, 0);

                Assert.Equal(SrtpStatus.Ok, sender.Protect(buffer, plain.Length, out int srtpLength));
                Assert.Equal(plain.Length + SrtpProfileInfo.RtpTrailerLength(profile), srtpLength);
                Assert.Equal(plain.AsSpan(0, 12).ToArray(), buffer.AsSpan(0, 12).ToArray());
                Assert.NotEqual(plain.AsSpan(12).ToArray(), buffer.AsSpan(12, 160).ToArray());

                Assert.Equal(SrtpStatus.Ok, receiver.Unprotect(buffer.AsSpan(0, srtpLength), out int rtpLength));
                Assert.Equal(plain, buffer.AsSpan(0, rtpLength).ToArray());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Csrcs_and_header_extensions_stay_clear_and_round_trip(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] plain = TestPackets.RtpWithCsrcsAndExtension(42, 0x01020304, 200, csrcCount: 3, extensionWords: 2);
            int header = 12 + 12 + 4 + 8;
            byte[] buffer = new byte[plain.Length + sender.RtpTrailerLength];
            plain.CopyTo(buffer, 0);
            Assert.Equal(SrtpStatus.Ok, sender.Protect(buffer, plain.Length, out int srtpLength));

            // RFC 3711 §3.1: the header, CSRCs and extension are authenticated but not encrypted.
            Assert.Equal(plain.AsSpan(0, header).ToArray(), buffer.AsSpan(0, header).ToArray());
            Assert.NotEqual(plain.AsSpan(header).ToArray(), buffer.AsSpan(header, plain.Length - header).ToArray());
            Assert.Equal(SrtpStatus.Ok, receiver.Unprotect(buffer.AsSpan(0, srtpLength), out int rtpLength));
            Assert.Equal(plain, buffer.AsSpan(0, rtpLength).ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Tampered_rtp_fails_authentication(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] plain = TestPackets.Rtp(7, 0xCAFEBABE, 100);
            byte[] buffer = new byte[plain.Length + sender.RtpTrailerLength];
            plain.CopyTo(buffer, 0);
            Assert.Equal(SrtpStatus.Ok, sender.Protect(buffer, plain.Length, out int srtpLength));

            foreach (int position in new[] { 1, 12, 60, srtpLength - 1 })
            {
                byte[] copy = buffer.AsSpan(0, srtpLength).ToArray();
                copy[position] ^= 0x01;
                Assert.Equal(SrtpStatus.AuthenticationFailed, receiver.Unprotect(copy, out _));
            }

            // The untouched packet still verifies: failures did not poison the session.
            Assert.Equal(SrtpStatus.Ok, receiver.Unprotect(buffer.AsSpan(0, srtpLength), out _));
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Replayed_rtp_is_reported_as_replay_and_stale_index_as_too_old(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile, new SrtpSessionOptions { ReplayWindowSize = 64 });
        using (sender)
        using (receiver)
        {
            byte[] first = ProtectCopy(sender, TestPackets.Rtp(10, 1, 40));
            Assert.Equal(SrtpStatus.Ok, receiver.Unprotect(first.ToArray(), out _));
            Assert.Equal(SrtpStatus.Replayed, receiver.Unprotect(first.ToArray(), out _));

            // Advance the window by 200 packets; a packet protected for seq 11 then falls behind it.
            byte[] late = ProtectCopy(sender, TestPackets.Rtp(11, 1, 40));
            for (ushort seq = 12; seq < 212; seq++)
            {
                Assert.Equal(SrtpStatus.Ok, receiver.Unprotect(ProtectCopy(sender, TestPackets.Rtp(seq, 1, 40)), out _));
            }

            Assert.Equal(SrtpStatus.TooOld, receiver.Unprotect(late, out _));
        }
    }

    [Fact]
    public void Larger_replay_window_accepts_the_reordered_packet_a_small_one_drops()
    {
        (SrtpSession sender, SrtpSession small) = Pair(SrtpProfile.Aes128CmHmacSha1_80, new SrtpSessionOptions { ReplayWindowSize = 64 });
        (SrtpSession sender2, SrtpSession large) = Pair(SrtpProfile.Aes128CmHmacSha1_80, new SrtpSessionOptions { ReplayWindowSize = 1024 });
        using (sender)
        using (small)
        using (sender2)
        using (large)
        {
            byte[] delayed = ProtectCopy(sender, TestPackets.Rtp(1, 9, 20));
            for (ushort seq = 2; seq < 300; seq++)
            {
                byte[] packet = ProtectCopy(sender, TestPackets.Rtp(seq, 9, 20));
                Assert.Equal(SrtpStatus.Ok, small.Unprotect(packet.ToArray(), out _));
                Assert.Equal(SrtpStatus.Ok, large.Unprotect(packet, out _));
            }

            Assert.Equal(SrtpStatus.TooOld, small.Unprotect(delayed.ToArray(), out _));
            Assert.Equal(SrtpStatus.Ok, large.Unprotect(delayed, out _));
        }
    }

    [Fact]
    public void Repeat_transmission_of_a_sequence_number_needs_allow_repeat()
    {
        (SrtpSession strict, SrtpSession _) = Pair(SrtpProfile.Aes128CmHmacSha1_80);
        (SrtpSession lenient, SrtpSession _) = Pair(SrtpProfile.Aes128CmHmacSha1_80, new SrtpSessionOptions { AllowRepeatTransmission = true });
        using (strict)
        using (lenient)
        {
            byte[] packet = TestPackets.Rtp(500, 77, 50);
            Assert.Equal(SrtpStatus.Ok, Protect(strict, packet, out _));
            Assert.Equal(SrtpStatus.Replayed, Protect(strict, packet, out _));

            Assert.Equal(SrtpStatus.Ok, Protect(lenient, packet, out byte[] once));
            Assert.Equal(SrtpStatus.Ok, Protect(lenient, packet, out byte[] twice));
            Assert.Equal(once, twice);
        }
    }

    [Theory]
    [MemberData(nameof(Profiles))]
    public void Rtcp_round_trips_and_tampering_and_replay_are_typed(SrtpProfile profile)
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(profile);
        using (sender)
        using (receiver)
        {
            byte[] plain = TestPackets.RtcpReceiverReport(0x01020304);
            byte[] buffer = new byte[plain.Length + sender.RtcpTrailerLength];
            plain.CopyTo(buffer, 0);
            Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(buffer, plain.Length, out int srtcpLength));
            Assert.Equal(plain.Length + SrtpProfileInfo.RtcpTrailerLength(profile), srtcpLength);

            byte[] tampered = buffer.AsSpan(0, srtcpLength).ToArray();
            tampered[10] ^= 0x80;
            Assert.Equal(SrtpStatus.AuthenticationFailed, receiver.UnprotectRtcp(tampered, out _));

            byte[] copy = buffer.AsSpan(0, srtcpLength).ToArray();
            Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtcp(buffer.AsSpan(0, srtcpLength), out int rtcpLength));
            Assert.Equal(plain, buffer.AsSpan(0, rtcpLength).ToArray());
            Assert.Equal(SrtpStatus.Replayed, receiver.UnprotectRtcp(copy, out _));
        }
    }

    [Fact]
    public void Length_and_room_errors_are_typed_not_thrown()
    {
        (SrtpSession sender, SrtpSession receiver) = Pair(SrtpProfile.Aes128CmHmacSha1_80);
        using (sender)
        using (receiver)
        {
            byte[] plain = TestPackets.Rtp(1, 1, 20);
            Assert.Equal(SrtpStatus.BufferTooSmall, sender.Protect(plain, plain.Length, out _));
            Assert.Equal(SrtpStatus.BadLength, sender.Protect(new byte[40], 11, out _));
            Assert.Equal(SrtpStatus.BadLength, sender.Protect(new byte[40], 41, out _));
            Assert.Equal(SrtpStatus.BadLength, receiver.Unprotect(new byte[5], out _));
            Assert.Equal(SrtpStatus.BadLength, receiver.UnprotectRtcp(new byte[7], out _));
            Assert.Equal(SrtpStatus.BufferTooSmall, sender.ProtectRtcp(new byte[40], 32, out _));

            // A direction mix-up is a typed failure too.
            Assert.Equal(SrtpStatus.Failed, receiver.Protect(new byte[64], 20, out _));
            Assert.Equal(SrtpStatus.Failed, sender.Unprotect(new byte[64], out _));
        }
    }

    [Fact]
    public void Setup_rejects_wrong_key_and_salt_sizes()
    {
        Assert.Throws<ArgumentException>(() => SrtpSession.Create(SrtpProfile.Aes128CmHmacSha1_80, SrtpDirection.Outbound, new byte[16], new byte[12]));
        Assert.Throws<ArgumentException>(() => SrtpSession.Create(SrtpProfile.AeadAes128Gcm, SrtpDirection.Outbound, new byte[16], new byte[14]));
        Assert.Throws<ArgumentException>(() => SrtpSession.Create(SrtpProfile.AeadAes128Gcm, SrtpDirection.Outbound, new byte[32], new byte[12]));
        Assert.Throws<ArgumentOutOfRangeException>(() => SrtpSession.Create(
            SrtpProfile.Aes128CmHmacSha1_80, SrtpDirection.Inbound, new byte[16], new byte[14], new SrtpSessionOptions { ReplayWindowSize = 10 }));
    }

    private static byte[] ProtectCopy(SrtpSession sender, byte[] plain)
    {
        Assert.Equal(SrtpStatus.Ok, Protect(sender, plain, out byte[] result));
        return result;
    }

    private static SrtpStatus Protect(SrtpSession sender, byte[] plain, out byte[] result)
    {
        byte[] buffer = new byte[plain.Length + sender.RtpTrailerLength];
        plain.CopyTo(buffer, 0);
        SrtpStatus status = sender.Protect(buffer, plain.Length, out int length);
        result = buffer.AsSpan(0, length).ToArray();
        return status;
    }
}
