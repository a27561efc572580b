namespace Callbridge.Sdp.Tests;

public class SdpParseErrorTests
{
    private const string Head = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";

    private static SdpParseFailure Fail(string text, SdpLimits? limits = null)
    {
        Assert.False(SessionDescription.TryParse(text, out SessionDescription? d, out SdpParseFailure failure, limits));
        Assert.Null(d);
        return failure;
    }

    [Theory]
    [InlineData("v=1\r\n", SdpParseError.InvalidVersion, 1)]
    [InlineData("o=- 1 2 IN IP4 x\r\n", SdpParseError.InvalidVersion, 1)]
    [InlineData("v=0\r\no=- x 2 IN IP4 127.0.0.1\r\n", SdpParseError.InvalidOrigin, 2)]
    [InlineData("v=0\r\no=- 1 2 IN IP4\r\n", SdpParseError.InvalidOrigin, 2)]
    [InlineData("v=0\r\ns=-\r\nt=0 0\r\n", SdpParseError.MissingOrigin, 0)]
    [InlineData("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nt=0 0\r\n", SdpParseError.MissingSessionName, 0)]
    [InlineData("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\n", SdpParseError.MissingTiming, 0)]
    [InlineData("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0\r\n", SdpParseError.InvalidTiming, 4)]
    [InlineData("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nm=audio 9 RTP/AVP 0\r\n", SdpParseError.MissingTiming, 4)]
    [InlineData(Head + "x\r\n", SdpParseError.MalformedLine, 5)]
    [InlineData(Head + "a = b\r\n", SdpParseError.MalformedLine, 5)]
    [InlineData(Head + "A=b\r\n", SdpParseError.MalformedLine, 5)]
    [InlineData(Head + "\r\nm=audio 9 RTP/AVP 0\r\n", SdpParseError.MalformedLine, 5)]
    [InlineData(Head + "y=unknown\r\n", SdpParseError.LineOutOfPlace, 5)]
    [InlineData(Head + "m=audio 9 RTP/AVP 0\r\nt=0 0\r\n", SdpParseError.LineOutOfPlace, 6)]
    [InlineData(Head + "m=audio 9 RTP/AVP 0\r\nu=http://x\r\n", SdpParseError.LineOutOfPlace, 6)]
    [InlineData(Head + "c=IN IP4\r\n", SdpParseError.InvalidConnection, 5)]
    [InlineData(Head + "b=AS\r\n", SdpParseError.InvalidBandwidth, 5)]
    [InlineData(Head + "m=audio 9 RTP/AVP\r\n", SdpParseError.InvalidMedia, 5)]
    [InlineData(Head + "m=audio 70000 RTP/AVP 0\r\n", SdpParseError.InvalidMedia, 5)]
    [InlineData(Head + "a=group\r\n", SdpParseError.InvalidGroup, 5)]
    [InlineData(Head + "a=fingerprint:sha-256 zz\r\n", SdpParseError.InvalidFingerprint, 5)]
    [InlineData(Head + "a=setup:maybe\r\n", SdpParseError.InvalidSetup, 5)]
    [InlineData(Head + "a=setup:active\r\na=setup:passive\r\n", SdpParseError.DuplicateAttribute, 6)]
    [InlineData(Head + "a=ice-ufrag\r\n", SdpParseError.InvalidIceCredentials, 5)]
    [InlineData(Head + "a=extmap:x urn:a\r\n", SdpParseError.InvalidExtmap, 5)]
    [InlineData(Head + "m=audio 9 RTP/AVP 0\r\na=mid\r\n", SdpParseError.InvalidMid, 6)]
    [InlineData(Head + "m=audio 9 RTP/AVP 0\r\na=mid:0\r\na=mid:1\r\n", SdpParseError.DuplicateAttribute, 7)]
    [InlineData(Head + "m=audio 9 RTP/AVP 0\r\na=rtpmap:128 opus/48000\r\n", SdpParseError.InvalidRtpMap, 6)]
    [InlineData(Head + "m=audio 9 RTP/AVP 0\r\na=rtpmap:111 opus\r\n", SdpParseError.InvalidRtpMap, 6)]
    [InlineData(Head + "m=audio 9 RTP/AVP 0\r\na=fmtp:111\r\n", SdpParseError.InvalidFmtp, 6)]
    [InlineData(Head + "m=audio 9 RTP/AVP 0\r\na=rtcp-fb:x nack\r\n", SdpParseError.InvalidRtcpFeedback, 6)]
    [InlineData(Head + "m=audio 9 RTP/AVP 0\r\na=ssrc:abc cname:x\r\n", SdpParseError.InvalidSsrc, 6)]
    [InlineData(Head + "m=audio 9 RTP/AVP 0\r\na=ssrc-group:FID 1 x\r\n", SdpParseError.InvalidSsrcGroup, 6)]
    [InlineData(Head + "m=audio 9 RTP/AVP 0\r\na=msid:a b c\r\n", SdpParseError.InvalidMsid, 6)]
    [InlineData(Head + "m=audio 9 RTP/AVP 0\r\na=candidate:1 1 udp 1 198.18.0.1 1 typ\r\n", SdpParseError.InvalidCandidate, 6)]
    public void MalformedInput_GivesTypedErrorAndLine(string text, SdpParseError error, int line)
    {
        Assert.Equal(new SdpParseFailure(error, line), Fail(text));
    }

    [Fact]
    public void Limits_AreEnforced()
    {
        string fixture = SdpFixtures.Load(SdpFixtures.ChromiumOffer);
        Assert.Equal(SdpParseError.TooLarge, Fail(fixture, new SdpLimits { MaxLength = 1000 }).Error);
        Assert.Equal(SdpParseError.TooManyLines, Fail(fixture, new SdpLimits { MaxLines = 20 }).Error);
        Assert.Equal(new SdpParseFailure(SdpParseError.LineTooLong, 5), Fail(Head + "a=x:" + new string('y', 5000) + "\r\n"));
        Assert.Equal(new SdpParseFailure(SdpParseError.TooManyMediaSections, 40),
            Fail(fixture, new SdpLimits { MaxMediaSections = 1 }));
        Assert.True(SessionDescription.TryParse(fixture, out _, out _));
    }
}
