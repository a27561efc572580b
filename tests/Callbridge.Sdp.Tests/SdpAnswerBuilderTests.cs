namespace Callbridge.Sdp.Tests;

public class SdpAnswerBuilderTests
{
    private static readonly SdpFingerprint OurFingerprint =
        SdpFingerprint.FromDigest("sha-256", Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray());

    private static SdpAnswerOptions Options() => new()
    {
        IceUfrag = "cbAn",
        IcePwd = "answererPassword0123456789",
        Fingerprint = OurFingerprint,
        Candidates = [new SdpCandidate("4001", 1, "udp", 2130706431, "198.18.0.1", 40000, "host")],
        EndOfCandidates = true,
    };

    private static SessionDescription Answer(string offerText, SdpAnswerOptions options)
    {
        SessionDescription offer = SdpFixtures.Parse(offerText);
        Assert.True(SdpAnswerBuilder.TryCreateAnswer(offer, options, out SessionDescription? answer, out SdpAnswerError error), error.ToString());
        // What we produce is itself valid SDP that survives our parser unchanged.
        string text = answer!.ToString();
        Assert.Equal(text, SdpFixtures.Parse(text).ToString());
        return SdpFixtures.Parse(text);
    }

    [Fact]
    public void JanusSubscriberOffer_IsAnsweredRecvOnly_WithCommonCodecsOnly()
    {
        SessionDescription answer = Answer(SdpFixtures.Load(SdpFixtures.JanusSubscriberOffer), Options());

        Assert.Equal(["0", "1"], answer.BundleGroup!.Mids);
        Assert.Equal(2, answer.Media.Count);
        MediaDescription audio = answer.Media[0];
        Assert.Equal(("audio", 9, "0"), (audio.Kind, audio.Port, audio.Mid));
        Assert.Equal(SdpDirection.RecvOnly, audio.Direction);
        Assert.Equal(["111"], audio.Formats);
        Assert.Equal(new SdpRtpMap(111, "opus", 48000, 2), audio.FindRtpMap(111));
        Assert.Equal("minptime=10;useinbandfec=1", audio.FindFmtp(111)!.Parameters);
        Assert.Equal(SdpSetupRole.Active, audio.Setup);
        Assert.Equal("cbAn", audio.IceUfrag);
        Assert.Equal(OurFingerprint, audio.Fingerprints.Single());
        Assert.True(audio.RtcpMux);
        Assert.False(audio.RtcpRsize);
        Assert.Equal([new SdpExtmap(1, null, "urn:ietf:params:rtp-hdrext:sdes:mid"), new SdpExtmap(4, null, "urn:ietf:params:rtp-hdrext:ssrc-audio-level")], audio.Extmaps);
        Assert.Empty(audio.Ssrcs);
        Assert.Single(audio.Candidates);
        Assert.True(audio.EndOfCandidates);

        MediaDescription video = answer.Media[1];
        Assert.Equal(SdpDirection.RecvOnly, video.Direction);
        Assert.Equal(["96"], video.Formats); // rtx (97) is not among our capabilities
        Assert.Equal(["ccm fir", "nack", "nack pli"], video.RtcpFeedback.Select(f => f.Parameter is null ? f.Type : f.Type + " " + f.Parameter).Order());
        Assert.Equal([new SdpExtmap(1, null, "urn:ietf:params:rtp-hdrext:sdes:mid")], video.Extmaps);
        Assert.Empty(video.Candidates);
    }

    [Fact]
    public void ChromiumOffer_RejectsUnwantedSections_AndShrinksBundle()
    {
        SdpAnswerOptions options = Options() with { VideoDirection = null };
        SessionDescription answer = Answer(SdpFixtures.Load(SdpFixtures.ChromiumOffer), options);

        Assert.Equal(3, answer.Media.Count);
        Assert.Equal(["0", "1", "2"], answer.Media.Select(m => m.Mid));
        Assert.Equal(["0"], answer.BundleGroup!.Mids);
        Assert.True(answer.ExtmapAllowMixed);

        MediaDescription audio = answer.Media[0];
        // Chromium sends only: we receive only. Opus and both telephone-event clocks are common.
        Assert.Equal(SdpDirection.RecvOnly, audio.Direction);
        Assert.Equal(["111", "110", "126"], audio.Formats);
        Assert.True(audio.RtcpRsize);
        Assert.Empty(audio.RtcpFeedback); // transport-cc is not something we implement

        MediaDescription video = answer.Media[1];
        Assert.Equal(0, video.Port);
        Assert.True(video.IsRejected);
        Assert.Equal(["96", "97", "102", "103", "45", "46"], video.Formats);
        Assert.Null(video.Direction);
        Assert.Null(video.IceUfrag);

        MediaDescription data = answer.Media[2];
        Assert.Equal(0, data.Port);
        Assert.Equal(["webrtc-datachannel"], data.Formats);
    }

    [Fact]
    public void SendRecvOffer_WithAudioSource_AnswersSendRecvWithSsrc()
    {
        string offer = SdpFixtures.Load(SdpFixtures.ChromiumOffer).Replace("a=sendonly", "a=sendrecv", StringComparison.Ordinal);
        var source = new SdpMediaSource(0x01020304, "callbridge", "bot", "bot-audio");
        SessionDescription answer = Answer(offer, Options() with { AudioDirection = SdpDirection.SendRecv, AudioSource = source });
        MediaDescription audio = answer.Media[0];
        Assert.Equal(SdpDirection.SendRecv, audio.Direction);
        Assert.Equal(new SdpMsid("bot", "bot-audio"), audio.Msids.Single());
        Assert.Contains(new SdpSsrc(0x01020304, "cname", "callbridge"), audio.Ssrcs);
        // Video sendrecv offered, recvonly wanted.
        Assert.Equal(SdpDirection.RecvOnly, answer.Media[1].Direction);
    }

    [Fact]
    public void DirectionByMid_OverridesKindDefaults()
    {
        var byMid = new Dictionary<string, SdpDirection?> { ["0"] = null, ["1"] = SdpDirection.Inactive };
        SessionDescription answer = Answer(SdpFixtures.Load(SdpFixtures.JanusSubscriberOffer), Options() with { DirectionByMid = byMid });
        Assert.Equal(0, answer.Media[0].Port);
        Assert.Equal(SdpDirection.Inactive, answer.Media[1].Direction);
        Assert.Equal(["1"], answer.BundleGroup!.Mids);
        // Candidates go to the first accepted section.
        Assert.Single(answer.Media[1].Candidates);
    }

    [Theory]
    [InlineData("a=setup:actpass", "a=setup:active", SdpSetupRole.Passive)]
    [InlineData("a=setup:actpass", "a=setup:passive", SdpSetupRole.Active)]
    public void SetupRole_IsTheComplementOfTheOffer(string from, string to, SdpSetupRole expected)
    {
        string offer = SdpFixtures.Load(SdpFixtures.JanusSubscriberOffer).Replace(from, to, StringComparison.Ordinal);
        Assert.All(Answer(offer, Options()).Media, m => Assert.Equal(expected, m.Setup));
    }

    [Theory]
    [InlineData("a=setup:actpass", "a=setup:holdconn", SdpAnswerError.InvalidSetup)]
    [InlineData("a=ice-pwd:Vd0kWm3QbZy8LhP1xTf5sRcE\r\n", "", SdpAnswerError.MissingIceCredentials)]
    [InlineData("a=fingerprint:sha-256 D2:B9:31:8F:DF:24:D8:0E:ED:D2:EF:25:9E:AF:6F:B8:34:AE:53:9C:E6:F3:8F:F2:64:15:FA:E8:7F:53:2D:38\r\n", "", SdpAnswerError.MissingFingerprint)]
    [InlineData("a=mid:0\r\n", "", SdpAnswerError.MissingMid)]
    public void UnanswerableOffers_GiveTypedErrors(string from, string to, SdpAnswerError expected)
    {
        SessionDescription offer = SdpFixtures.Parse(SdpFixtures.Load(SdpFixtures.JanusSubscriberOffer).Replace(from, to, StringComparison.Ordinal));
        Assert.False(SdpAnswerBuilder.TryCreateAnswer(offer, Options(), out SessionDescription? answer, out SdpAnswerError error));
        Assert.Null(answer);
        Assert.Equal(expected, error);
    }
}
