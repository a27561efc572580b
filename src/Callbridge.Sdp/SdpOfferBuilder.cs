using System.Globalization;

namespace Callbridge.Sdp;

/// <summary>Offers for what the bots publish (RFC 8829 §5.2).</summary>
public static class SdpOfferBuilder
{
    /// <summary>A sendonly Opus offer, DTLS actpass (RFC 8842 §5.2), rtcp-mux and reduced-size RTCP.</summary>
    public static SessionDescription CreateAudioPublishOffer(SdpAudioOfferOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var offer = new SessionDescription
        {
            Origin = new SdpOrigin("-", options.SessionId ?? SdpAnswerBuilder.NewSessionId(), "2", "IN", "IP4", "127.0.0.1"),
            SessionName = "-",
        };
        offer.Timings.Add("0 0");
        offer.Groups.Add(new SdpGroup("BUNDLE", [options.Mid]));
        offer.OtherAttributes.Add(new SdpAttribute("msid-semantic", " WMS " + options.Source.StreamId));

        var audio = new MediaDescription { Kind = "audio", Port = 9, Protocol = "UDP/TLS/RTP/SAVPF", Mid = options.Mid };
        string opus = options.OpusPayloadType.ToString(CultureInfo.InvariantCulture);
        audio.Formats.Add(opus);
        audio.RtpMaps.Add(new SdpRtpMap(options.OpusPayloadType, "opus", 48000, 2));
        audio.Fmtps.Add(new SdpFmtp(options.OpusPayloadType, options.OpusFmtp));
        if (options.TelephoneEventPayloadType is { } te)
        {
            audio.Formats.Add(te.ToString(CultureInfo.InvariantCulture));
            audio.RtpMaps.Add(new SdpRtpMap(te, "telephone-event", 48000));
        }

        audio.Connections.Add(SdpConnection.Placeholder);
        audio.IceUfrag = options.IceUfrag;
        audio.IcePwd = options.IcePwd;
        audio.IceOptions.Add("trickle");
        audio.Fingerprints.Add(options.Fingerprint);
        audio.Setup = SdpSetupRole.ActPass;
        audio.Extmaps.AddRange(options.HeaderExtensions);
        audio.Direction = SdpDirection.SendOnly;
        audio.RtcpMux = true;
        audio.RtcpRsize = true;
        SdpAnswerBuilder.AddSource(audio, options.Source);
        audio.Candidates.AddRange(options.Candidates);
        audio.EndOfCandidates = options.EndOfCandidates;
        offer.Media.Add(audio);
        return offer;
    }
}
