namespace Callbridge.WebRtc.Tests;

/// <summary>Descriptions that must be refused with a typed error before any socket is opened.</summary>
public class PeerConnectionDescriptionTests
{
    private const string OfferWithout = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n"
        + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:0\r\na=sendonly\r\na=rtcp-mux\r\n"
        + "a=rtpmap:111 opus/48000/2\r\n";

    private const string Fingerprint = "a=fingerprint:sha-256 "
        + "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99\r\n";

    private const string Ice = "a=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n";

    [Fact]
    public async Task Unparseable_offer_is_InvalidSdp()
    {
        await using var pc = new PeerConnection();
        Assert.Equal(PeerConnectionError.InvalidSdp, pc.TryApplyOffer("not an sdp", out string? answer));
        Assert.Null(answer);
        Assert.Equal(PeerConnectionError.InvalidSdp, pc.Error);
        Assert.Equal(PeerConnectionState.New, pc.State);
    }

    [Fact]
    public async Task Offer_without_ice_credentials_is_MissingIceCredentials()
    {
        await using var pc = new PeerConnection();
        Assert.Equal(PeerConnectionError.MissingIceCredentials, pc.TryApplyOffer(OfferWithout + Fingerprint + "a=setup:actpass\r\n", out _));
    }

    [Fact]
    public async Task Offer_without_fingerprint_is_MissingFingerprint()
    {
        await using var pc = new PeerConnection();
        Assert.Equal(PeerConnectionError.MissingFingerprint, pc.TryApplyOffer(OfferWithout + Ice + "a=setup:actpass\r\n", out _));
    }

    [Fact]
    public async Task Offer_with_holdconn_setup_is_UnusableSetup()
    {
        await using var pc = new PeerConnection();
        Assert.Equal(PeerConnectionError.UnusableSetup, pc.TryApplyOffer(OfferWithout + Ice + Fingerprint + "a=setup:holdconn\r\n", out _));
    }

    [Fact]
    public async Task Answer_before_offer_is_WrongState()
    {
        await using var pc = new PeerConnection();
        Assert.Equal(PeerConnectionError.WrongState, pc.TryApplyAnswer(OfferWithout));
        Assert.False(pc.TrySendOpus([0xF8, 0xFF, 0xFE]));
    }
}
