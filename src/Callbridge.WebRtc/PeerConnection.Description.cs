using System.Globalization;
using System.Net;
using Callbridge.Dtls;
using Callbridge.Ice;
using Callbridge.Media;
using Callbridge.Rtp;
using Callbridge.Sdp;

namespace Callbridge.WebRtc;

/// <summary>Offer/answer (RFC 3264, RFC 8829): what the descriptions say becomes ICE, DTLS and track state.</summary>
public sealed partial class PeerConnection
{
    private SessionDescription? _localOffer;

    /// <summary>
    /// Applies the SFU's offer and returns our answer: the audio/video sections we can receive accepted
    /// recvonly, our ICE credentials and host candidates, our fingerprint, a=setup:active (RFC 5763 §5).
    /// ICE (controlled, RFC 8445 §6.1.1) then DTLS start at once.
    /// </summary>
    public PeerConnectionError TryApplyOffer(string offerSdp, out string? answerSdp)
    {
        ArgumentNullException.ThrowIfNull(offerSdp);
        answerSdp = null;
        if (State != PeerConnectionState.New || _localOffer is not null)
        {
            return Refuse(PeerConnectionError.WrongState);
        }

        if (!SessionDescription.TryParse(offerSdp, out SessionDescription? offer, out _) || offer is null)
        {
            return Refuse(PeerConnectionError.InvalidSdp);
        }

        PeerConnectionError error = ReadTransport(offer, isAnswer: false, out IceCredentials? credentials, out List<DtlsFingerprint> fingerprints, out SdpSetupRole remoteSetup);
        if (error != PeerConnectionError.None)
        {
            return Refuse(error);
        }

        if (!DtlsRoles.TryAnswer(ToDtls(remoteSetup), out DtlsSetup localSetup) || !DtlsRoles.TryFromLocalSetup(localSetup, out DtlsRole role))
        {
            return Refuse(PeerConnectionError.UnusableSetup);
        }

        IceAgent agent = StartIce(IceRole.Controlled);
        var options = new SdpAnswerOptions
        {
            IceUfrag = agent.LocalCredentials.UsernameFragment,
            IcePwd = agent.LocalCredentials.Password,
            Fingerprint = LocalSdpFingerprint(),
            Setup = localSetup == DtlsSetup.Active ? SdpSetupRole.Active : SdpSetupRole.Passive,
            Candidates = agent.LocalCandidates.Select(ToSdp).ToArray(),
            EndOfCandidates = true,
        };
        if (!SdpAnswerBuilder.TryCreateAnswer(offer, options, out SessionDescription? answer, out SdpAnswerError answerError) || answer is null)
        {
            AnswerError = answerError;
            return Refuse(PeerConnectionError.AnswerRefused);
        }

        foreach (MediaDescription accepted in answer.Media)
        {
            if (accepted.Port == 0 || accepted.Mid is null || offer.FindMedia(accepted.Mid) is not { } offered)
            {
                continue;
            }

            TrackKind kind = accepted.Kind == "video" ? TrackKind.Video : TrackKind.Audio;
            string codec = kind == TrackKind.Video ? "VP8" : "opus";
            SdpRtpMap? map = accepted.RtpMaps.Find(r => r.EncodingName.Equals(codec, StringComparison.OrdinalIgnoreCase));
            if (map is null)
            {
                continue;
            }

            uint[] ssrcs = offered.Ssrcs.Select(s => s.Ssrc).Distinct().ToArray();
            _tracks.Add(new RemoteTrack(accepted.Mid, kind, (byte)map.PayloadType, map.ClockRate, ssrcs, _options.JitterBuffer, _time));
            foreach (uint ssrc in ssrcs)
            {
                _bySsrc.TryAdd(ssrc, _tracks[^1]);
            }

            if (_midExtensionId == 0 && accepted.Extmaps.Find(e => e.Uri == MediaIdentification.Uri) is { } mid)
            {
                _midExtensionId = mid.Id;
            }
        }

        if (_tracks.Count == 0)
        {
            return Refuse(PeerConnectionError.NoUsableMedia);
        }

        AddRemoteCandidates(agent, offer, credentials!);
        StartTransport(role, fingerprints);
        answerSdp = answer.ToString();
        return PeerConnectionError.None;
    }

    /// <summary>
    /// Creates our offer to publish one sendonly Opus track (RFC 7587), a=setup:actpass, our host
    /// candidates. ICE is controlling (RFC 8445 §6.1.1). Apply the SFU's answer with <see cref="TryApplyAnswer"/>.
    /// </summary>
    public PeerConnectionError TryCreateAudioOffer(out string? offerSdp)
    {
        offerSdp = null;
        if (State != PeerConnectionState.New || _localOffer is not null || _ice is not null)
        {
            return Refuse(PeerConnectionError.WrongState);
        }

        IceAgent agent = StartIce(IceRole.Controlling);
        var source = new SdpMediaSource(RandomSsrc(), _options.Cname, "callbridge-" + _localSsrc.ToString("x8", CultureInfo.InvariantCulture), "callbridge-audio");
        _localOffer = SdpOfferBuilder.CreateAudioPublishOffer(new SdpAudioOfferOptions
        {
            IceUfrag = agent.LocalCredentials.UsernameFragment,
            IcePwd = agent.LocalCredentials.Password,
            Fingerprint = LocalSdpFingerprint(),
            Source = source,
            Candidates = agent.LocalCandidates.Select(ToSdp).ToArray(),
            EndOfCandidates = true,
        });
        offerSdp = _localOffer.ToString();
        return PeerConnectionError.None;
    }

    /// <summary>Applies the SFU's answer to <see cref="TryCreateAudioOffer"/>: its ICE, fingerprint, a=setup and Opus payload type.</summary>
    public PeerConnectionError TryApplyAnswer(string answerSdp)
    {
        ArgumentNullException.ThrowIfNull(answerSdp);
        if (State != PeerConnectionState.New || _localOffer is null || _ice is null)
        {
            return Refuse(PeerConnectionError.WrongState);
        }

        if (!SessionDescription.TryParse(answerSdp, out SessionDescription? answer, out _) || answer is null)
        {
            return Refuse(PeerConnectionError.InvalidSdp);
        }

        MediaDescription ours = _localOffer.Media[0];
        if (answer.FindMedia(ours.Mid!) is not { Port: not 0 } audio
            || audio.RtpMaps.Find(r => r.EncodingName.Equals("opus", StringComparison.OrdinalIgnoreCase)) is not { } opus)
        {
            return Refuse(PeerConnectionError.NoUsableMedia);
        }

        PeerConnectionError error = ReadTransport(answer, isAnswer: true, out IceCredentials? credentials, out List<DtlsFingerprint> fingerprints, out SdpSetupRole remoteSetup);
        if (error != PeerConnectionError.None)
        {
            return Refuse(error);
        }

        // RFC 5763 §5: the answerer picked; we take the other side.
        DtlsRole role;
        if (remoteSetup == SdpSetupRole.Active)
        {
            role = DtlsRole.Server;
        }
        else if (remoteSetup == SdpSetupRole.Passive)
        {
            role = DtlsRole.Client;
        }
        else
        {
            return Refuse(PeerConnectionError.UnusableSetup);
        }

        uint ssrc = ours.Ssrcs[0].Ssrc;
        _opusSender = new OpusPacketizer(ssrc, (byte)opus.PayloadType, (ushort)RandomSsrc(), RandomSsrc());
        AddRemoteCandidates(_ice, answer, credentials!);
        StartTransport(role, fingerprints);
        return PeerConnectionError.None;
    }

    private PeerConnectionError Refuse(PeerConnectionError error)
    {
        Error = error;
        return error;
    }

    /// <summary>
    /// ICE credentials, fingerprints and a=setup of the BUNDLE transport: the first accepted section's
    /// values, else the session level (RFC 8839 §5.4, RFC 8122 §5, RFC 8842 §5.1).
    /// </summary>
    private static PeerConnectionError ReadTransport(SessionDescription sdp, bool isAnswer, out IceCredentials? credentials, out List<DtlsFingerprint> fingerprints, out SdpSetupRole setup)
    {
        credentials = null;
        fingerprints = [];
        MediaDescription? first = sdp.Media.Find(m => !m.IsRejected);
        setup = first?.Setup ?? sdp.Setup ?? (isAnswer ? SdpSetupRole.Active : SdpSetupRole.ActPass);
        string? ufrag = first?.IceUfrag ?? sdp.IceUfrag;
        string? pwd = first?.IcePwd ?? sdp.IcePwd;
        if (first is null)
        {
            return PeerConnectionError.NoUsableMedia;
        }

        if (string.IsNullOrEmpty(ufrag) || string.IsNullOrEmpty(pwd))
        {
            return PeerConnectionError.MissingIceCredentials;
        }

        credentials = new IceCredentials(ufrag, pwd);
        foreach (SdpFingerprint fingerprint in first.Fingerprints.Concat(sdp.Fingerprints))
        {
            if (DtlsFingerprint.TryParse(fingerprint.ToString(), out DtlsFingerprint? parsed, out _) && parsed is not null)
            {
                fingerprints.Add(parsed);
            }
        }

        return fingerprints.Count == 0 ? PeerConnectionError.MissingFingerprint : PeerConnectionError.None;
    }

    private static void AddRemoteCandidates(IceAgent agent, SessionDescription sdp, IceCredentials credentials)
    {
        agent.SetRemoteCredentials(credentials);
        foreach (SdpCandidate candidate in sdp.Media.SelectMany(m => m.Candidates))
        {
            // UDP with a literal address only: mDNS names (RFC 8839 §5.1) need a resolver the bot does not run.
            if (candidate.Transport.Equals("udp", StringComparison.OrdinalIgnoreCase)
                && IPAddress.TryParse(candidate.Address, out IPAddress? address))
            {
                agent.AddRemoteCandidate(new IceCandidate(candidate.Foundation, candidate.Component, candidate.Priority, new IPEndPoint(address, candidate.Port), ToCandidateType(candidate.Type)));
            }
        }
    }

    private static IceCandidateType ToCandidateType(string type) => type switch
    {
        "host" => IceCandidateType.Host,
        "srflx" => IceCandidateType.ServerReflexive,
        "prflx" => IceCandidateType.PeerReflexive,
        _ => IceCandidateType.Relayed,
    };

    private static SdpCandidate ToSdp(IceCandidate c) =>
        new(c.Foundation, c.Component, "udp", c.Priority, c.EndPoint.Address.ToString(), c.EndPoint.Port, IceCandidate.TypeName(c.Type));

    private static DtlsSetup ToDtls(SdpSetupRole role) => role switch
    {
        SdpSetupRole.Active => DtlsSetup.Active,
        SdpSetupRole.Passive => DtlsSetup.Passive,
        SdpSetupRole.ActPass => DtlsSetup.ActPass,
        _ => DtlsSetup.HoldConn,
    };

    private SdpFingerprint LocalSdpFingerprint()
    {
        string text = _certificate.Fingerprint.ToString();
        int space = text.IndexOf(' ', StringComparison.Ordinal);
        return new SdpFingerprint(text[..space], text[(space + 1)..]);
    }
}
