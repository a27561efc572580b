namespace Callbridge.Sdp.Tests;

public class SdpOfferBuilderTests
{
    private static SdpAudioOfferOptions Options() => new()
    {
        IceUfrag = "pub1",
        IcePwd = "publisherPassword012345",
        Fingerprint = SdpFingerprint.FromDigest("sha-256", new byte[32]),
        Source = new SdpMediaSource(424242, "callbridge-bot", "bot-stream", "bot-audio"),
        Candidates = [new SdpCandidate("7", 1, "udp", 2130706431, "198.18.0.1", 41000, "host")],
        EndOfCandidates = true,
        SessionId = "1234567890",
    };

    [Fact]
    public void PublishOffer_IsSendOnlyOpus_AndReparsesIdentically()
    {
        SessionDescription offer = SdpOfferBuilder.CreateAudioPublishOffer(Options());
        string text = offer.ToString();
        SessionDescription parsed = SdpFixtures.Parse(text);
        Assert.Equal(text, parsed.ToString());

        Assert.StartsWith("v=0\r\no=- 1234567890 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n", text, StringComparison.Ordinal);
        MediaDescription audio = Assert.Single(parsed.Media);
        Assert.Equal("m=audio 9 UDP/TLS/RTP/SAVPF 111 110", text.Split("\r\n").Single(l => l.StartsWith("m=", StringComparison.Ordinal)));
        Assert.Equal(SdpDirection.SendOnly, audio.Direction);
        Assert.Equal(SdpSetupRole.ActPass, audio.Setup);
        Assert.True(audio.RtcpMux && audio.RtcpRsize);
        Assert.Equal(new SdpRtpMap(111, "opus", 48000, 2), audio.FindRtpMap(111));
        Assert.Equal("minptime=10;useinbandfec=1", audio.FindFmtp(111)!.Parameters);
        Assert.Equal(new SdpMsid("bot-stream", "bot-audio"), audio.Msids.Single());
        Assert.Contains(new SdpSsrc(424242, "cname", "callbridge-bot"), audio.Ssrcs);
        Assert.Equal("0", audio.Mid);
        Assert.True(audio.EndOfCandidates);
        Assert.Equal(32, audio.Fingerprints[0].Value.Split(':').Length);
    }

    [Fact]
    public void PublishOffer_AnsweredLikeAnSfu_NegotiatesRecvOnlyOpus()
    {
        SessionDescription offer = SdpFixtures.Parse(SdpOfferBuilder.CreateAudioPublishOffer(Options()).ToString());
        var sfu = new SdpAnswerOptions
        {
            IceUfrag = "sfu1",
            IcePwd = "sfuPassword0123456789012",
            Fingerprint = SdpFingerprint.FromDigest("sha-256", Enumerable.Repeat((byte)0xAB, 32).ToArray()),
            AudioDirection = SdpDirection.RecvOnly,
            Setup = SdpSetupRole.Passive,
        };
        Assert.True(SdpAnswerBuilder.TryCreateAnswer(offer, sfu, out SessionDescription? answer, out _));
        MediaDescription audio = answer!.Media.Single();
        Assert.Equal(SdpDirection.RecvOnly, audio.Direction);
        Assert.Equal(SdpSetupRole.Passive, audio.Setup);
        Assert.Equal(["111", "110"], audio.Formats);
        Assert.Equal(["0"], answer.BundleGroup!.Mids);
    }
}
