namespace Callbridge.Sdp.Tests;

public class SdpRoundTripTests
{
    [Theory]
    [InlineData(SdpFixtures.ChromiumOffer)]
    [InlineData(SdpFixtures.JanusSubscriberOffer)]
    [InlineData(SdpFixtures.JanusPublisherAnswer)]
    public void Fixture_SurvivesParseSerializeParse_WithNothingLostOrAdded(string fixture)
    {
        string original = SdpFixtures.Load(fixture);
        SessionDescription first = SdpFixtures.Parse(original);
        string serialized = first.ToString();

        SdpNormalizer.AssertEquivalent(original, serialized);
        Assert.EndsWith("\r\n", serialized, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n", serialized, StringComparison.Ordinal);
        SessionDescription second = SdpFixtures.Parse(serialized);
        Assert.Equal(serialized, second.ToString());
    }

    [Theory]
    [InlineData(SdpFixtures.ChromiumOffer)]
    [InlineData(SdpFixtures.JanusSubscriberOffer)]
    public void LfOnlyLineEnds_ParseTheSame(string fixture)
    {
        string crlf = SdpFixtures.Load(fixture);
        Assert.Equal(SdpFixtures.Parse(crlf).ToString(), SdpFixtures.Parse(crlf.ReplaceLineEndings("\n")).ToString());
    }

    [Fact]
    public void Chromium_TypedModel()
    {
        SessionDescription sdp = SdpFixtures.Parse(SdpFixtures.Load(SdpFixtures.ChromiumOffer));
        Assert.Equal("5823416902761935208", sdp.Origin.SessionId);
        Assert.Equal(["0", "1", "2"], sdp.BundleGroup!.Mids);
        Assert.True(sdp.ExtmapAllowMixed);
        Assert.Equal(" WMS 6b1d5e0a-3c4f-4d8e-9a51-2f7c0e9b4d13", sdp.FindAttribute("msid-semantic")!.Value);
        Assert.Equal(3, sdp.Media.Count);

        MediaDescription audio = sdp.Media[0];
        Assert.Equal(("audio", 9, "UDP/TLS/RTP/SAVPF"), (audio.Kind, audio.Port, audio.Protocol));
        Assert.Equal(["111", "63", "9", "0", "8", "13", "110", "126"], audio.Formats);
        Assert.Equal("0", audio.Mid);
        Assert.Equal(SdpDirection.SendOnly, audio.Direction);
        Assert.True(audio.RtcpMux && audio.RtcpRsize);
        Assert.Equal(new SdpRtpMap(111, "opus", 48000, 2), audio.FindRtpMap(111));
        Assert.Equal(new SdpRtpMap(126, "telephone-event", 8000), audio.FindRtpMap(126));
        Assert.Equal("10", audio.FindFmtp(111)!.ParseParameters()["minptime"]);
        Assert.Equal([new SdpRtcpFeedback("111", "transport-cc")], audio.FeedbackFor(111));
        Assert.Equal(new SdpExtmap(4, null, "urn:ietf:params:rtp-hdrext:sdes:mid"), audio.Extmaps[3]);
        Assert.Equal("Pq3v", audio.IceUfrag);
        Assert.Equal(["trickle"], audio.IceOptions);
        Assert.Equal("sha-256", audio.Fingerprints[0].Algorithm);
        Assert.Equal(SdpSetupRole.ActPass, audio.Setup);
        Assert.Equal(new SdpMsid("6b1d5e0a-3c4f-4d8e-9a51-2f7c0e9b4d13", "0f3e2a61-8b7c-4d59-a1e6-94c2b8d7f305"), audio.Msids[0]);
        Assert.Equal(new SdpSsrc(3482017331, "cname", "u9Xk2pQ7wLs1Vb4e"), audio.Ssrcs[0]);
        Assert.Equal("9 IN IP4 0.0.0.0", audio.FindAttribute("rtcp")!.Value);

        SdpCandidate v4 = audio.Candidates[0];
        Assert.Equal(("2999745851", 1, "udp", 2122260223u, "198.18.0.2", 51734, "host"),
            (v4.Foundation, v4.Component, v4.Transport, v4.Priority, v4.Address, v4.Port, v4.Type));
        Assert.Equal([new("generation", "0"), new("network-id", "1")], v4.Extensions);
        Assert.Equal("fd00:cb::2", audio.Candidates[1].Address);

        MediaDescription video = sdp.Media[1];
        Assert.Equal(new SdpSsrcGroup("FID", [1201457736, 2967019124]), video.SsrcGroups[0]);
        Assert.Equal(5, video.FeedbackFor(96).Count());
        Assert.Equal("apt=96", video.FindFmtp(97)!.Parameters);
        Assert.Equal(8, video.Extmaps.Count);

        MediaDescription data = sdp.Media[2];
        Assert.Equal(("application", "UDP/DTLS/SCTP"), (data.Kind, data.Protocol));
        Assert.Equal(["webrtc-datachannel"], data.Formats);
        Assert.Equal("5000", data.FindAttribute("sctp-port")!.Value);
    }

    [Fact]
    public void Janus_TypedModel()
    {
        SessionDescription sdp = SdpFixtures.Parse(SdpFixtures.Load(SdpFixtures.JanusSubscriberOffer));
        Assert.Equal("VideoRoom 1234", sdp.SessionName);
        Assert.Single(sdp.Fingerprints);
        Assert.Equal(["trickle"], sdp.IceOptions);
        Assert.Equal(SdpDirection.SendOnly, sdp.Media[0].Direction);
        Assert.Equal(new SdpConnection("IN", "IP4", "198.18.0.1"), sdp.Media[0].Connections[0]);
        Assert.True(sdp.Media[0].EndOfCandidates);
        Assert.Equal(new SdpCandidate("1", 1, "udp", 2015363327, "198.18.0.1", 20112, "host"), sdp.Media[0].Candidates[0]);
        Assert.Equal(new SdpSsrcGroup("FID", [1893722410, 3204958162]), sdp.Media[1].SsrcGroups[0]);

        SessionDescription answer = SdpFixtures.Parse(SdpFixtures.Load(SdpFixtures.JanusPublisherAnswer));
        Assert.False(answer.IceLite);
        Assert.Equal(new SdpMsid("janus", "janus0"), answer.Media[0].Msids[0]);
        Assert.Equal(SdpSetupRole.Active, answer.Media[0].Setup);
        Assert.Equal(SdpDirection.RecvOnly, answer.Media[0].Direction);
    }

    [Fact]
    public void SessionLevelFlagsAndRareLines_RoundTrip()
    {
        string text = "v=0\r\no=alice 1 2 IN IP6 ::1\r\ns=Call\r\ni=info\r\nu=http://example.org/\r\ne=a@example.org\r\n" +
            "c=IN IP6 ::1\r\nb=AS:256\r\nt=0 0\r\nr=604800 3600 0 90000\r\na=ice-lite\r\na=setup:passive\r\na=sendrecv\r\n" +
            "a=x-custom:kept as is\r\nm=audio 49170/2 RTP/AVP 0\r\ni=media info\r\nb=TIAS:64000\r\na=rtcp-mux-only\r\na=inactive\r\n";
        SessionDescription sdp = SdpFixtures.Parse(text);
        Assert.True(sdp.IceLite);
        Assert.Equal(SdpSetupRole.Passive, sdp.Setup);
        Assert.Equal(SdpDirection.SendRecv, sdp.Direction);
        Assert.Equal(new SdpBandwidth("AS", 256), sdp.Bandwidths[0]);
        Assert.Equal(2, sdp.Media[0].PortCount);
        Assert.True(sdp.Media[0].RtcpMuxOnly);
        Assert.Equal(SdpDirection.Inactive, sdp.Media[0].Direction);
        Assert.Equal("kept as is", sdp.FindAttribute("x-custom")!.Value);
        SdpNormalizer.AssertEquivalent(text, sdp.ToString());
    }

    [Fact]
    public void ExtmapWithDirectionAndAttributes_RoundTrips()
    {
        Assert.True(SdpExtmap.TryParse("7/recvonly urn:ietf:params:rtp-hdrext:encrypt urn:example:ext", out SdpExtmap? extmap));
        Assert.Equal(7, extmap!.Id);
        Assert.Equal(SdpDirection.RecvOnly, extmap.Direction);
        Assert.Equal("urn:example:ext", extmap.Attributes);
        Assert.Equal("7/recvonly urn:ietf:params:rtp-hdrext:encrypt urn:example:ext", extmap.ToString());
        Assert.False(SdpExtmap.TryParse("0 urn:x", out _));
        Assert.False(SdpExtmap.TryParse("3/sideways urn:x", out _));
    }
}
