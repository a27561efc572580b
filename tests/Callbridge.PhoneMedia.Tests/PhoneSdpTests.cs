using System.Net;
using Callbridge.Sdp;

namespace Callbridge.PhoneMedia.Tests;

public sealed class PhoneSdpTests
{
    private static readonly IPEndPoint Local = new(IPAddress.Parse("198.18.0.1"), 40000);

    /// <summary>The offer sipp's uac_pcma_pcap.xml scenario sends.</summary>
    private const string SippOffer =
        "v=0\r\no=sipp 53655765 2353687637 IN IP4 198.18.0.1\r\ns=-\r\nc=IN IP4 198.18.0.1\r\nt=0 0\r\n" +
        "m=audio 6000 RTP/AVP 8 101\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\n";

    private static SessionDescription Parse(string text)
    {
        Assert.True(SessionDescription.TryParse(text, out SessionDescription? sd, out SdpParseFailure failure), failure.ToString());
        return sd!;
    }

    [Fact]
    public void Offer_lists_pcmu_pcma_and_telephone_event_on_rtp_avp_and_parses_back()
    {
        string text = PhoneSdp.CreateOffer(Local).ToString();

        SessionDescription back = Parse(text);
        MediaDescription audio = Assert.Single(back.Media);
        Assert.Equal("RTP/AVP", audio.Protocol);
        Assert.Equal(40000, audio.Port);
        Assert.Equal(["0", "8", "101"], audio.Formats);
        Assert.Equal("telephone-event", audio.FindRtpMap(101)!.EncodingName);
        Assert.Equal("0-15", audio.FindFmtp(101)!.Parameters);
        Assert.Equal(SdpDirection.SendRecv, audio.Direction);
        Assert.Contains("c=IN IP4 198.18.0.1\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=ptime:20\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Answer_to_sipp_offer_takes_pcma_with_its_payload_types_and_remote_address()
    {
        Assert.True(PhoneSdp.TryCreateAnswer(Parse(SippOffer), Local, out SessionDescription? answer, out PhoneMediaParameters? p, out PhoneSdpError error));

        Assert.Equal(PhoneSdpError.None, error);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("198.18.0.1"), 6000), p!.Remote);
        Assert.Equal(PhoneCodec.Pcma, p.Codec);
        Assert.Equal(8, p.PayloadType);
        Assert.Equal(101, p.TelephoneEventPayloadType);
        Assert.Equal(SdpDirection.SendRecv, p.Direction);
        MediaDescription audio = Assert.Single(Parse(answer!.ToString()).Media);
        Assert.Equal(["8", "101"], audio.Formats);
        Assert.Equal(40000, audio.Port);
    }

    [Fact]
    public void Answer_prefers_the_offerers_order_and_maps_dynamic_numbers()
    {
        string offer = SippOffer.Replace("m=audio 6000 RTP/AVP 8 101", "m=audio 6000 RTP/AVP 0 8 96", StringComparison.Ordinal)
            .Replace("a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15", "a=rtpmap:96 telephone-event/8000", StringComparison.Ordinal);

        Assert.True(PhoneSdp.TryCreateAnswer(Parse(offer), Local, out _, out PhoneMediaParameters? p, out _));

        Assert.Equal(PhoneCodec.Pcmu, p!.Codec);
        Assert.Equal(0, p.PayloadType);
        Assert.Equal(96, p.TelephoneEventPayloadType);
    }

    [Theory]
    [InlineData("a=sendonly", SdpDirection.RecvOnly)]
    [InlineData("a=inactive", SdpDirection.Inactive)]
    [InlineData("a=recvonly", SdpDirection.SendOnly)]
    public void Hold_offer_is_answered_with_the_reverse_direction(string attribute, SdpDirection expected)
    {
        SessionDescription offer = Parse(SippOffer + attribute + "\r\n");

        Assert.True(PhoneSdp.TryCreateAnswer(offer, Local, out SessionDescription? answer, out PhoneMediaParameters? p, out _));

        Assert.Equal(expected, p!.Direction);
        Assert.Equal(expected, Parse(answer!.ToString()).Media[0].Direction);
    }

    [Fact]
    public void Zero_connection_address_is_old_style_hold()
    {
        SessionDescription offer = Parse(SippOffer.Replace("c=IN IP4 198.18.0.1", "c=IN IP4 0.0.0.0", StringComparison.Ordinal));

        Assert.True(PhoneSdp.TryCreateAnswer(offer, Local, out _, out PhoneMediaParameters? p, out _));

        Assert.False(p!.CanSend);
        Assert.True(p.CanReceive);
    }

    [Fact]
    public void Offer_without_g711_is_refused_with_no_common_codec()
    {
        string offer = SippOffer.Replace("RTP/AVP 8 101", "RTP/AVP 9 101", StringComparison.Ordinal).Replace("a=rtpmap:8 PCMA/8000", "a=rtpmap:9 G722/8000", StringComparison.Ordinal);

        Assert.False(PhoneSdp.TryCreateAnswer(Parse(offer), Local, out _, out _, out PhoneSdpError error));
        Assert.Equal(PhoneSdpError.NoCommonCodec, error);
    }

    [Fact]
    public void Srtp_offer_is_refused_as_not_rtp_avp()
    {
        Assert.False(PhoneSdp.TryCreateAnswer(Parse(SippOffer.Replace("RTP/AVP", "RTP/SAVP", StringComparison.Ordinal)), Local, out _, out _, out PhoneSdpError error));
        Assert.Equal(PhoneSdpError.NotRtpAvp, error);
    }

    [Fact]
    public void Video_section_is_rejected_with_port_zero_and_audio_answered()
    {
        SessionDescription offer = Parse(SippOffer + "m=video 6002 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n");

        Assert.True(PhoneSdp.TryCreateAnswer(offer, Local, out SessionDescription? answer, out _, out _));

        SessionDescription back = Parse(answer!.ToString());
        Assert.Equal(2, back.Media.Count);
        Assert.Equal(0, back.Media[1].Port);
        Assert.Equal("video", back.Media[1].Kind);
    }

    [Fact]
    public void Answer_to_our_offer_is_read_into_parameters()
    {
        string answer = SippOffer.Replace("RTP/AVP 8 101", "RTP/AVP 0 101", StringComparison.Ordinal).Replace("a=rtpmap:8 PCMA/8000", "a=rtpmap:0 PCMU/8000", StringComparison.Ordinal);

        Assert.True(PhoneSdp.TryReadAnswer(Parse(answer), out PhoneMediaParameters? p, out _));

        Assert.Equal(PhoneCodec.Pcmu, p!.Codec);
        Assert.Equal(6000, p.Remote.Port);
    }

    [Fact]
    public void Missing_connection_address_is_reported()
    {
        string offer = SippOffer.Replace("c=IN IP4 198.18.0.1\r\n", string.Empty, StringComparison.Ordinal);

        Assert.False(PhoneSdp.TryCreateAnswer(Parse(offer), Local, out _, out _, out PhoneSdpError error));
        Assert.Equal(PhoneSdpError.NoConnectionAddress, error);
    }
}
