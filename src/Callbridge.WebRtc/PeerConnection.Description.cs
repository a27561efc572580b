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
    private SdpAnswerOptions? _answerOptions;
    private string? _remoteUfrag;
    private ulong _remoteVersion;

    /// <summary>
    /// Applies the SFU's offer and returns our answer: the audio/video sections we can receive accepted
    /// recvonly, our ICE credentials and host candidates, our fingerprint, a=setup:active (RFC 5763 §5).
    /// ICE (controlled, RFC 8445 §6.1.1) then DTLS start at once. A later offer renegotiates (see the overload).
    /// </summary>
    public PeerConnectionError TryApplyOffer(string offerSdp, out string? answerSdp) => TryApplyOffer(offerSdp, [], out answerSdp);

    /// <summary>
    /// As <see cref="TryApplyOffer(string, out string?)"/>; once connecting or connected, a new offer from the
    /// same peer renegotiates on the same ICE, DTLS and SRTP (RFC 8829 §5.3.1, no ICE restart): new receiving
    /// m-lines become new tracks, m-lines now rejected or inactive end theirs, the others keep theirs.
    /// </summary>
    /// <param name="replaceMids">
    /// Mids whose m-line now carries another source (an SFU reusing a freed m-line): their tracks start afresh
    /// (new jitter buffer, statistics and detector) instead of continuing.
    /// </param>
    public PeerConnectionError TryApplyOffer(string offerSdp, IReadOnlyCollection<string> replaceMids, out string? answerSdp)
    {
        ArgumentNullException.ThrowIfNull(offerSdp);
        ArgumentNullException.ThrowIfNull(replaceMids);
        answerSdp = null;
        bool renegotiation = _answerOptions is not null;
        if (_localOffer is not null
            || (!renegotiation && State != PeerConnectionState.New)
            || (renegotiation && State is not (PeerConnectionState.Connecting or PeerConnectionState.Connected)))
        {
            return Refuse(PeerConnectionError.WrongState);
        }

        if (!SessionDescription.TryParse(offerSdp, out SessionDescription? offer, out _) || offer is null)
        {
            return Refuse(PeerConnectionError.InvalidSdp);
        }

        // RFC 3264 §8: a modified offer carries a higher o= version; an older or equal one was already answered.
        ulong version = ulong.TryParse(offer.Origin.SessionVersion, NumberStyles.None, CultureInfo.InvariantCulture, out ulong v) ? v : 0;
        if (renegotiation && version != 0 && version <= _remoteVersion)
        {
            return Refuse(PeerConnectionError.StaleOffer);
        }

        IceAgent? agent = null;
        DtlsRole role = default;
        List<DtlsFingerprint> fingerprints = [];
        IceCredentials? credentials = null;
        if (!renegotiation)
        {
            PeerConnectionError error = ReadTransport(offer, isAnswer: false, out credentials, out fingerprints, out SdpSetupRole remoteSetup);
            if (error != PeerConnectionError.None)
            {
                return Refuse(error);
            }

            if (!DtlsRoles.TryAnswer(ToDtls(remoteSetup), out DtlsSetup localSetup) || !DtlsRoles.TryFromLocalSetup(localSetup, out role))
            {
                return Refuse(PeerConnectionError.UnusableSetup);
            }

            agent = StartIce(IceRole.Controlled);
            _remoteUfrag = credentials!.UsernameFragment;
            _answerOptions = new SdpAnswerOptions
            {
                IceUfrag = agent.LocalCredentials.UsernameFragment,
                IcePwd = agent.LocalCredentials.Password,
                Fingerprint = LocalSdpFingerprint(),
                Setup = localSetup == DtlsSetup.Active ? SdpSetupRole.Active : SdpSetupRole.Passive,
                Candidates = agent.LocalCandidates.Select(ToSdp).ToArray(),
                EndOfCandidates = true,
            };
        }
        else if (offer.Media.Find(m => !m.IsRejected) is { } first && (first.IceUfrag ?? offer.IceUfrag) is { } ufrag && ufrag != _remoteUfrag)
        {
            // RFC 8839 §4.4.1.1.1: new credentials are an ICE restart, which this connection does not do.
            return Refuse(PeerConnectionError.IceRestartUnsupported);
        }

        if (!SdpAnswerBuilder.TryCreateAnswer(offer, _answerOptions!, out SessionDescription? answer, out SdpAnswerError answerError) || answer is null)
        {
            AnswerError = answerError;
            return Refuse(PeerConnectionError.AnswerRefused);
        }

        RemoteTrack[] current = _tracks;
        var next = new List<RemoteTrack>();
        foreach (MediaDescription accepted in answer.Media)
        {
            if (accepted.Port == 0 || accepted.Mid is null || offer.FindMedia(accepted.Mid) is not { } offered
                || ((accepted.Direction ?? SdpDirection.SendRecv) & SdpDirection.RecvOnly) == 0)
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

            RemoteTrack? kept = replaceMids.Contains(accepted.Mid) ? null
                : Array.Find(current, t => t.Mid == accepted.Mid && t.Kind == kind && t.PayloadType == map.PayloadType);
            uint[] ssrcs = offered.Ssrcs.Select(s => s.Ssrc).Distinct().ToArray();
            // RFC 4585 §4.2: NACK only what the offer said it answers ("a=rtcp-fb:<pt> nack", no parameter).
            string pt = map.PayloadType.ToString(CultureInfo.InvariantCulture);
            bool nack = (kind == TrackKind.Video || _options.NackAudio)
                && offered.RtcpFeedback.Exists(f => (f.PayloadType == pt || f.PayloadType == "*") && f.Type == "nack" && string.IsNullOrEmpty(f.Parameter));
            next.Add(kept ?? new RemoteTrack(accepted.Mid, kind, (byte)map.PayloadType, map.ClockRate, ssrcs, _options.JitterBuffer, _time, nack ? _options.Nack : null));
            if (_midExtensionId == 0 && accepted.Extmaps.Find(e => e.Uri == MediaIdentification.Uri) is { } mid)
            {
                _midExtensionId = mid.Id;
            }
        }

        if (!renegotiation && next.Count == 0)
        {
            return Refuse(PeerConnectionError.NoUsableMedia);
        }

        _remoteVersion = version;
        _tracks = [.. next];
        if (!renegotiation)
        {
            foreach (RemoteTrack track in next)
            {
                foreach (uint ssrc in track.Ssrcs)
                {
                    _bySsrc.TryAdd(ssrc, track);
                }
            }

            StartTransport(role, fingerprints);
            AddRemoteCandidates(agent!, offer, credentials!);
        }
        else
        {
            foreach (RemoteTrack gone in current)
            {
                if (!next.Contains(gone))
                {
                    _retired.Enqueue(gone);
                }
            }

            // The loop re-keys its SSRC routing and releases the retired tracks' buffers.
            PostControl(new WorkItem(WorkItemKind.TracksChanged));
        }

        answerSdp = answer.ToString();
        return PeerConnectionError.None;
    }

    /// <summary>
    /// Creates our offer to publish one sendonly Opus track (RFC 7587), a=setup:actpass, our host
    /// candidates. ICE is controlling (RFC 8445 §6.1.1). Apply the SFU's answer with <see cref="TryApplyAnswer"/>.
    /// </summary>
    public PeerConnectionError TryCreateAudioOffer(out string? offerSdp) => TryCreatePublishOffer(video: false, out offerSdp);

    /// <summary>
    /// As <see cref="TryCreateAudioOffer"/>, with <paramref name="video"/> a second sendonly section for VP8
    /// (RFC 7741) BUNDLEd with the audio (RFC 8843), answering NACK (RFC 4585 §6.2.1), PLI (§6.3.1) and FIR
    /// (RFC 5104 §4.3.1) through <see cref="KeyFrameRequested"/>.
    /// </summary>
    public PeerConnectionError TryCreatePublishOffer(bool video, out string? offerSdp)
    {
        offerSdp = null;
        if (State != PeerConnectionState.New || _localOffer is not null || _ice is not null)
        {
            return Refuse(PeerConnectionError.WrongState);
        }

        IceAgent agent = StartIce(IceRole.Controlling);
        string stream = "callbridge-" + _localSsrc.ToString("x8", CultureInfo.InvariantCulture);
        var source = new SdpMediaSource(RandomSsrc(), _options.Cname, stream, "callbridge-audio");
        _localOffer = SdpOfferBuilder.CreateAudioPublishOffer(new SdpAudioOfferOptions
        {
            IceUfrag = agent.LocalCredentials.UsernameFragment,
            IcePwd = agent.LocalCredentials.Password,
            Fingerprint = LocalSdpFingerprint(),
            Source = source,
            Candidates = agent.LocalCandidates.Select(ToSdp).ToArray(),
            EndOfCandidates = true,
        });

        // RFC 4585 §4.2: we answer generic NACKs for the Opus track from the retransmission history; said only
        // when audio retransmission is on (see PeerConnectionOptions.NackAudio for why it is off by default).
        MediaDescription audio = _localOffer.Media[0];
        foreach (SdpRtpMap opus in audio.RtpMaps.Where(r => _options.NackAudio && r.EncodingName.Equals("opus", StringComparison.OrdinalIgnoreCase)))
        {
            audio.RtcpFeedback.Add(new SdpRtcpFeedback(opus.PayloadType.ToString(CultureInfo.InvariantCulture), "nack"));
        }

        if (video)
        {
            MediaDescription section = CreateVideoSection(audio, new SdpMediaSource(RandomSsrc(), _options.Cname, stream, "callbridge-video"));
            _localOffer.Media.Add(section);
            _localOffer.Groups.RemoveAll(g => g.Semantics == "BUNDLE");
            _localOffer.Groups.Add(new SdpGroup("BUNDLE", [audio.Mid!, section.Mid!]));
        }

        offerSdp = _localOffer.ToString();
        return PeerConnectionError.None;
    }

    /// <summary>
    /// The sendonly VP8 section: the audio section's transport (one BUNDLE transport, RFC 8843 §7.1), its own
    /// SSRC and msid. 96 is the payload type Chromium and Janus use for VP8.
    /// </summary>
    private static MediaDescription CreateVideoSection(MediaDescription audio, SdpMediaSource source)
    {
        const int Vp8PayloadType = 96;
        string pt = Vp8PayloadType.ToString(CultureInfo.InvariantCulture);
        var video = new MediaDescription { Kind = "video", Port = 9, Protocol = audio.Protocol, Mid = "1" };
        video.Formats.Add(pt);
        video.RtpMaps.Add(new SdpRtpMap(Vp8PayloadType, "VP8", Vp8Packetizer.ClockRate));
        video.RtcpFeedback.Add(new SdpRtcpFeedback(pt, "nack"));
        video.RtcpFeedback.Add(new SdpRtcpFeedback(pt, "nack", "pli"));
        video.RtcpFeedback.Add(new SdpRtcpFeedback(pt, "ccm", "fir"));
        video.Connections.Add(SdpConnection.Placeholder);
        video.IceUfrag = audio.IceUfrag;
        video.IcePwd = audio.IcePwd;
        video.IceOptions.AddRange(audio.IceOptions);
        video.Fingerprints.AddRange(audio.Fingerprints);
        video.Setup = SdpSetupRole.ActPass;
        video.Extmaps.AddRange(audio.Extmaps.Where(e => e.Uri.EndsWith(":mid", StringComparison.Ordinal)));
        video.Direction = SdpDirection.SendOnly;
        video.RtcpMux = true;
        video.RtcpRsize = true;
        video.Msids.Add(new SdpMsid(source.StreamId, source.TrackId));
        video.Ssrcs.Add(new SdpSsrc(source.Ssrc, "cname", source.Cname));
        video.Ssrcs.Add(new SdpSsrc(source.Ssrc, "msid", source.StreamId + " " + source.TrackId));
        return video;
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

        // A video section the SFU rejected or answered without VP8 leaves an audio-only publication.
        if (_localOffer.Media.Count > 1 && _localOffer.Media[1] is { Kind: "video" } offeredVideo
            && answer.FindMedia(offeredVideo.Mid!) is { Port: not 0 } answeredVideo
            && answeredVideo.RtpMaps.Find(r => r.EncodingName.Equals("vp8", StringComparison.OrdinalIgnoreCase)) is { } vp8)
        {
            _vp8Sender = new Vp8Packetizer(offeredVideo.Ssrcs[0].Ssrc, (byte)vp8.PayloadType, (ushort)RandomSsrc(), (ushort)RandomSsrc());
            _vp8Timestamp = RandomSsrc();
            _videoHistory = new RetransmissionHistory(_options.RetransmissionCapacity, _options.RetransmissionMaxAge, _time);
        }

        uint ssrc = ours.Ssrcs[0].Ssrc;
        _opusSender = new OpusPacketizer(ssrc, (byte)opus.PayloadType, (ushort)RandomSsrc(), RandomSsrc());
        _history = new RetransmissionHistory(_options.RetransmissionCapacity, _options.RetransmissionMaxAge, _time);
        // DTLS exists before ICE learns the peer: the answerer may connect and send its ClientHello at once.
        StartTransport(role, fingerprints);
        AddRemoteCandidates(_ice, answer, credentials!);
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
