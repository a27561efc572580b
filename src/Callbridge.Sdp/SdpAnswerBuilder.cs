using System.Globalization;
using System.Security.Cryptography;

namespace Callbridge.Sdp;

/// <summary>
/// Answers a remote offer (RFC 3264 §6, RFC 8829 §5.3): every offered m-section is answered in order,
/// with its mid, accepted with the common codecs or rejected with port 0; BUNDLE keeps the accepted mids.
/// </summary>
public static class SdpAnswerBuilder
{
    private static readonly Dictionary<int, SdpRtpMap> StaticPayloadTypes = new()
    {
        // RFC 3551 §6 static audio types that WebRTC peers still offer without rtpmap.
        [0] = new SdpRtpMap(0, "PCMU", 8000),
        [8] = new SdpRtpMap(8, "PCMA", 8000),
        [9] = new SdpRtpMap(9, "G722", 8000),
    };

    public static bool TryCreateAnswer(SessionDescription offer, SdpAnswerOptions options, out SessionDescription? answer, out SdpAnswerError error)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(options);
        answer = null;
        if (offer.Media.Count == 0)
        {
            error = SdpAnswerError.NoMedia;
            return false;
        }

        var result = new SessionDescription
        {
            Origin = new SdpOrigin("-", options.SessionId ?? NewSessionId(), "2", "IN", "IP4", "127.0.0.1"),
            SessionName = "-",
            ExtmapAllowMixed = offer.ExtmapAllowMixed,
        };
        result.Timings.Add("0 0");

        bool candidatesWritten = false;
        foreach (MediaDescription offered in offer.Media)
        {
            if (offered.Mid is null)
            {
                error = SdpAnswerError.MissingMid;
                return false;
            }

            MediaDescription? accepted = TryAccept(offer, offered, options, out error);
            if (error != SdpAnswerError.None)
            {
                return false;
            }

            if (accepted is null)
            {
                result.Media.Add(Rejected(offered));
                continue;
            }

            if (!candidatesWritten)
            {
                accepted.Candidates.AddRange(options.Candidates);
                accepted.EndOfCandidates = options.EndOfCandidates;
                candidatesWritten = true;
            }

            result.Media.Add(accepted);
        }

        // RFC 9143 §7.3: the answer's BUNDLE group holds the accepted mids of the offered group.
        foreach (SdpGroup group in offer.Groups)
        {
            if (group.Semantics != "BUNDLE")
            {
                continue;
            }

            string[] mids = group.Mids.Where(mid => result.FindMedia(mid) is { Port: not 0 }).ToArray();
            if (mids.Length > 0)
            {
                result.Groups.Add(new SdpGroup("BUNDLE", mids));
            }
        }

        answer = result;
        error = SdpAnswerError.None;
        return true;
    }

    private static MediaDescription? TryAccept(SessionDescription offer, MediaDescription offered, SdpAnswerOptions options, out SdpAnswerError error)
    {
        error = SdpAnswerError.None;
        bool audio = offered.Kind == "audio";
        if (offered.Port == 0 && !offered.OtherAttributes.Exists(a => a.Name == "bundle-only")
            || !(audio || offered.Kind == "video")
            || !offered.Protocol.Contains("RTP/SAVP", StringComparison.Ordinal))
        {
            return null;
        }

        SdpDirection? wanted = options.DirectionByMid.TryGetValue(offered.Mid!, out SdpDirection? byMid) ? byMid
            : audio ? options.AudioDirection : options.VideoDirection;
        if (wanted is null)
        {
            return null;
        }

        var answer = new MediaDescription { Kind = offered.Kind, Port = 9, Protocol = offered.Protocol, Mid = offered.Mid };
        IReadOnlyList<SdpCodecCapability> codecs = audio ? options.AudioCodecs : options.VideoCodecs;
        foreach (string format in offered.Formats)
        {
            if (!int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out int pt))
            {
                continue;
            }

            SdpRtpMap? map = offered.FindRtpMap(pt) ?? StaticPayloadTypes.GetValueOrDefault(pt);
            SdpCodecCapability? codec = map is null ? null : codecs.FirstOrDefault(c => c.Matches(map, audio));
            if (codec is null)
            {
                continue;
            }

            // RFC 3264 §6.1: the answer uses the offer's payload type numbers.
            answer.Formats.Add(format);
            answer.RtpMaps.Add(map! with { PayloadType = pt });
            foreach (SdpRtcpFeedback feedback in offered.FeedbackFor(pt))
            {
                string value = feedback.Parameter is null ? feedback.Type : feedback.Type + " " + feedback.Parameter;
                if (codec.RtcpFeedback.Contains(value) && !answer.RtcpFeedback.Exists(f => f.PayloadType == format && f.Type == feedback.Type && f.Parameter == feedback.Parameter))
                {
                    answer.RtcpFeedback.Add(new SdpRtcpFeedback(format, feedback.Type, feedback.Parameter));
                }
            }

            string? fmtp = codec.Fmtp ?? offered.FindFmtp(pt)?.Parameters;
            if (fmtp is not null)
            {
                answer.Fmtps.Add(new SdpFmtp(pt, fmtp));
            }
        }

        // Only telephone-event in common is no media at all.
        if (!answer.RtpMaps.Exists(m => !string.Equals(m.EncodingName, "telephone-event", StringComparison.OrdinalIgnoreCase)))
        {
            return null;
        }

        string? ufrag = offered.IceUfrag ?? offer.IceUfrag;
        string? pwd = offered.IcePwd ?? offer.IcePwd;
        if (ufrag is null || pwd is null)
        {
            error = SdpAnswerError.MissingIceCredentials;
            return null;
        }

        if (offered.Fingerprints.Count == 0 && offer.Fingerprints.Count == 0)
        {
            error = SdpAnswerError.MissingFingerprint;
            return null;
        }

        // RFC 8842 §5.3 / RFC 4145 §4.1: actpass lets us choose; active and passive leave us the other role.
        SdpSetupRole? offeredSetup = offered.Setup ?? offer.Setup ?? SdpSetupRole.ActPass;
        SdpSetupRole setup;
        switch (offeredSetup)
        {
            case SdpSetupRole.ActPass:
                setup = options.Setup;
                break;
            case SdpSetupRole.Active:
                setup = SdpSetupRole.Passive;
                break;
            case SdpSetupRole.Passive:
                setup = SdpSetupRole.Active;
                break;
            default:
                error = SdpAnswerError.InvalidSetup;
                return null;
        }

        answer.Connections.Add(SdpConnection.Placeholder);
        answer.IceUfrag = options.IceUfrag;
        answer.IcePwd = options.IcePwd;
        answer.IceOptions.AddRange(options.IceOptions);
        answer.Fingerprints.Add(options.Fingerprint);
        answer.Setup = setup;
        foreach (SdpExtmap extmap in offered.Extmaps.Concat(offer.Extmaps))
        {
            if (options.HeaderExtensions.Contains(extmap.Uri) && !answer.Extmaps.Exists(e => e.Id == extmap.Id))
            {
                answer.Extmaps.Add(new SdpExtmap(extmap.Id, null, extmap.Uri));
            }
        }

        // RFC 3264 §6.1: we may send only what the offerer receives, and receive only what it sends.
        SdpDirection offeredDirection = offered.Direction ?? offer.Direction ?? SdpDirection.SendRecv;
        SdpDirection direction = wanted.Value & offeredDirection.Reverse();
        answer.Direction = direction;
        answer.RtcpMux = offered.RtcpMux;
        answer.RtcpRsize = offered.RtcpRsize;
        if (audio && direction.HasFlag(SdpDirection.SendOnly) && options.AudioSource is { } source)
        {
            AddSource(answer, source);
        }

        return answer;
    }

    internal static void AddSource(MediaDescription media, SdpMediaSource source)
    {
        media.Msids.Add(new SdpMsid(source.StreamId, source.TrackId));
        media.Ssrcs.Add(new SdpSsrc(source.Ssrc, "cname", source.Cname));
        media.Ssrcs.Add(new SdpSsrc(source.Ssrc, "msid", source.StreamId + " " + source.TrackId));
    }

    private static MediaDescription Rejected(MediaDescription offered)
    {
        // RFC 8829 §5.3.1: a rejected section keeps its kind, protocol, formats and mid, with port 0.
        var rejected = new MediaDescription { Kind = offered.Kind, Port = 0, Protocol = offered.Protocol, Mid = offered.Mid };
        rejected.Formats.AddRange(offered.Formats);
        rejected.Connections.Add(SdpConnection.Placeholder);
        return rejected;
    }

    internal static string NewSessionId() =>
        (BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)) & long.MaxValue).ToString(CultureInfo.InvariantCulture);
}
