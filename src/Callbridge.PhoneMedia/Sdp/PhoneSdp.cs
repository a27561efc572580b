using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Callbridge.Sdp;

namespace Callbridge.PhoneMedia;

/// <summary>
/// Offer/answer (RFC 3264) for the phone leg: one plain RTP/AVP audio section with PCMU/PCMA (RFC 3551
/// static types) and RFC 4733 telephone-event, no ICE or DTLS (SIP trunks and phones speak plain RTP).
/// </summary>
public static class PhoneSdp
{
    /// <summary>RFC 4733 §7.1.1: 8000 Hz telephone-event, DTMF digits 0-15.</summary>
    private const string TelephoneEventName = "telephone-event";

    private const int TelephoneEventClock = 8000;

    /// <summary>An offer for a call we place (or a re-INVITE for hold with <paramref name="direction"/> sendonly).</summary>
    public static SessionDescription CreateOffer(IPEndPoint localRtp, PhoneSdpOptions? options = null, SdpDirection direction = SdpDirection.SendRecv)
    {
        ArgumentNullException.ThrowIfNull(localRtp);
        options ??= new PhoneSdpOptions();
        SessionDescription offer = NewSession(localRtp, options);
        MediaDescription audio = NewAudio(localRtp);
        foreach (PhoneCodec codec in options.Codecs)
        {
            int pt = (int)codec;
            audio.Formats.Add(pt.ToString(CultureInfo.InvariantCulture));
            audio.RtpMaps.Add(new SdpRtpMap(pt, EncodingName(codec), 8000));
        }

        AddTelephoneEvent(audio, options.TelephoneEventPayloadType);
        Finish(audio, direction);
        offer.Media.Add(audio);
        return offer;
    }

    /// <summary>
    /// Answers <paramref name="offer"/>: the first offered law we support, with the offer's payload type
    /// numbers (RFC 3264 §6.1), telephone-event when offered, and the direction answered to the offered one
    /// (sendonly offer: recvonly answer, i.e. the peer holds us; inactive stays inactive).
    /// </summary>
    public static bool TryCreateAnswer(
        SessionDescription offer,
        IPEndPoint localRtp,
        out SessionDescription? answer,
        out PhoneMediaParameters? parameters,
        out PhoneSdpError error,
        PhoneSdpOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(localRtp);
        options ??= new PhoneSdpOptions();
        answer = null;
        if (!TryRead(offer, options.Codecs, out parameters, out int audioIndex, out error))
        {
            return false;
        }

        MediaDescription offered = offer.Media[audioIndex];
        SessionDescription result = NewSession(localRtp, options);
        // RFC 3264 §6: one answer section per offered section, in order; the ones we do not take get port 0.
        for (int i = 0; i < offer.Media.Count; i++)
        {
            MediaDescription m = offer.Media[i];
            if (i != audioIndex)
            {
                var rejected = new MediaDescription { Kind = m.Kind, Port = 0, Protocol = m.Protocol, Mid = m.Mid };
                rejected.Formats.AddRange(m.Formats);
                result.Media.Add(rejected);
                continue;
            }

            MediaDescription audio = NewAudio(localRtp);
            audio.Mid = offered.Mid;
            audio.Formats.Add(parameters!.PayloadType.ToString(CultureInfo.InvariantCulture));
            audio.RtpMaps.Add(new SdpRtpMap(parameters.PayloadType, EncodingName(parameters.Codec), 8000));
            if (parameters.TelephoneEventPayloadType is { } te)
            {
                AddTelephoneEvent(audio, te);
            }

            Finish(audio, parameters.Direction);
            result.Media.Add(audio);
        }

        answer = result;
        return true;
    }

    /// <summary>Reads the answer to our offer (the 2xx or the ACK of a late offer) into the negotiated parameters.</summary>
    public static bool TryReadAnswer(SessionDescription answer, out PhoneMediaParameters? parameters, out PhoneSdpError error)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return TryRead(answer, [PhoneCodec.Pcmu, PhoneCodec.Pcma], out parameters, out _, out error);
    }

    private static bool TryRead(SessionDescription sdp, IReadOnlyList<PhoneCodec> accepted, out PhoneMediaParameters? parameters, out int audioIndex, out PhoneSdpError error)
    {
        parameters = null;
        audioIndex = sdp.Media.FindIndex(m => m.Kind == "audio" && m.Port != 0);
        if (audioIndex < 0)
        {
            error = PhoneSdpError.NoAudio;
            return false;
        }

        MediaDescription audio = sdp.Media[audioIndex];
        // RFC 3551 profile only: SAVP/SAVPF need keys we do not negotiate here.
        if (audio.Protocol is not ("RTP/AVP" or "RTP/AVPF"))
        {
            error = PhoneSdpError.NotRtpAvp;
            return false;
        }

        PhoneCodec? codec = null;
        int payloadType = 0;
        int? telephoneEvent = null;
        foreach (string format in audio.Formats)
        {
            if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out int pt))
            {
                continue;
            }

            SdpRtpMap? map = audio.FindRtpMap(pt);
            // RFC 3551 §6: static types 0 and 8 need no rtpmap.
            PhoneCodec? candidate = map is null
                ? pt switch { 0 => PhoneCodec.Pcmu, 8 => PhoneCodec.Pcma, _ => null }
                : map.ClockRate != 8000 ? null
                : map.EncodingName.Equals("PCMU", StringComparison.OrdinalIgnoreCase) ? PhoneCodec.Pcmu
                : map.EncodingName.Equals("PCMA", StringComparison.OrdinalIgnoreCase) ? PhoneCodec.Pcma
                : null;
            if (candidate is { } c && codec is null && accepted.Contains(c))
            {
                codec = c;
                payloadType = pt;
            }

            if (map is not null && telephoneEvent is null && map.ClockRate == TelephoneEventClock
                && map.EncodingName.Equals(TelephoneEventName, StringComparison.OrdinalIgnoreCase))
            {
                telephoneEvent = pt;
            }
        }

        if (codec is null)
        {
            error = PhoneSdpError.NoCommonCodec;
            return false;
        }

        // RFC 8866 §5.7: a media-level c= overrides the session-level one.
        SdpConnection? connection = audio.Connections.Count > 0 ? audio.Connections[0] : sdp.Connections.Count > 0 ? sdp.Connections[0] : null;
        if (connection is null || connection.NetworkType != "IN"
            || !IPAddress.TryParse(StripTtl(connection.Address), out IPAddress? address)
            || (connection.AddressType == "IP4" ? address.AddressFamily != AddressFamily.InterNetwork : address.AddressFamily != AddressFamily.InterNetworkV6))
        {
            error = PhoneSdpError.NoConnectionAddress;
            return false;
        }

        SdpDirection offered = audio.Direction ?? sdp.Direction ?? SdpDirection.SendRecv;
        // RFC 3264 §8.4 (and RFC 2543 hold): c=0.0.0.0 means the peer wants nothing sent to it.
        if (address.Equals(IPAddress.Any))
        {
            offered &= ~SdpDirection.RecvOnly;
        }

        parameters = new PhoneMediaParameters(new IPEndPoint(address, audio.Port), codec.Value, payloadType, telephoneEvent, offered.Reverse());
        error = PhoneSdpError.None;
        return true;
    }

    private static string StripTtl(string address)
    {
        int slash = address.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? address : address[..slash];
    }

    private static SessionDescription NewSession(IPEndPoint localRtp, PhoneSdpOptions options)
    {
        string family = localRtp.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        string sessionId = options.SessionId
            ?? (BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) & long.MaxValue).ToString(CultureInfo.InvariantCulture);
        var session = new SessionDescription
        {
            Origin = new SdpOrigin(options.UserName, sessionId, "1", "IN", family, localRtp.Address.ToString()),
            SessionName = options.UserName,
        };
        session.Connections.Add(new SdpConnection("IN", family, localRtp.Address.ToString()));
        session.Timings.Add("0 0");
        return session;
    }

    private static MediaDescription NewAudio(IPEndPoint localRtp) =>
        new() { Kind = "audio", Port = localRtp.Port, Protocol = "RTP/AVP", Mid = null };

    private static void AddTelephoneEvent(MediaDescription audio, int payloadType)
    {
        audio.Formats.Add(payloadType.ToString(CultureInfo.InvariantCulture));
        audio.RtpMaps.Add(new SdpRtpMap(payloadType, TelephoneEventName, TelephoneEventClock));
        audio.Fmtps.Add(new SdpFmtp(payloadType, "0-15"));
    }

    private static void Finish(MediaDescription audio, SdpDirection direction)
    {
        // 20 ms packets: the RFC 3551 §4.5 default for G.711, and what the session's pacing timer sends.
        audio.OtherAttributes.Add(new SdpAttribute("ptime", "20"));
        audio.Direction = direction;
    }

    private static string EncodingName(PhoneCodec codec) => codec == PhoneCodec.Pcma ? "PCMA" : "PCMU";
}
