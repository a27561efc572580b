using System.Buffers.Binary;
using Callbridge.Media;
using Callbridge.Rtcp;
using Callbridge.Rtp;
using Callbridge.Srtp;

namespace Callbridge.WebRtc;

/// <summary>The loop's media work: SRTP/SRTCP in place, routing to tracks, reports, PLI, Opus sending.</summary>
public sealed partial class PeerConnection
{
    /// <summary>Lost sequence numbers handled per NACK: 64 fills at most 64 FCI entries, far below one MTU.</summary>
    private const int MaxNackPerPacket = 64;

    /// <summary>One SRTP or SRTCP datagram (RFC 5761 §4 split), unprotected in its pooled buffer.</summary>
    private void HandleDatagram(Span<byte> datagram)
    {
        if (_inbound is null)
        {
            KeepEarly(datagram);
            return;
        }

        if (DatagramClassifier.Classify(datagram) == DatagramKind.Rtcp)
        {
            HandleRtcp(datagram);
            return;
        }

        // Before SRTP, as the network would lose it: a packet dropped after unprotect would be a replay when resent.
        if (DropIncomingRtp is { } drop && datagram.Length >= 12
            && drop(BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]), BinaryPrimitives.ReadUInt16BigEndian(datagram[2..])))
        {
            return;
        }

        if (_inbound.Unprotect(datagram, out int length) != SrtpStatus.Ok)
        {
            Interlocked.Increment(ref _srtpFailures);
            return;
        }

        Span<byte> rtp = datagram[..length];
        if (RtpPacket.TryParse(rtp, out RtpPacket packet, out _) != RtpParseError.None)
        {
            Interlocked.Increment(ref _unrouted);
            return;
        }

        Interlocked.Increment(ref _rtpReceived);
        RemoteTrack? track = Route(packet);
        if (track is null || track.PayloadType != packet.PayloadType)
        {
            // RTX, FEC or a payload type our answer did not accept.
            Interlocked.Increment(ref _unrouted);
            return;
        }

        track.OnRtp(packet, rtp, FrameReceived, TrackEncrypted);
        if (track.KeyFrameWanted)
        {
            long now = _time.GetTimestamp();
            if (now >= track.NextKeyFrameRequest)
            {
                track.NextKeyFrameRequest = now + (long)(_options.KeyFrameRequestInterval.TotalSeconds * _time.TimestampFrequency);
                SendReports(track);
            }
        }
    }

    /// <summary>
    /// Media that raced ahead of our DTLS Finished (the peer keyed SRTP one flight earlier): kept in pooled
    /// buffers up to <see cref="PeerConnectionOptions.EarlyMediaCapacity"/> and replayed once keyed.
    /// </summary>
    private void KeepEarly(ReadOnlySpan<byte> datagram)
    {
        if (State != PeerConnectionState.Connecting || _early.Count >= _options.EarlyMediaCapacity)
        {
            Interlocked.Increment(ref _srtpFailures);
            return;
        }

        byte[] copy = DatagramPool.Rent(ReceiveBufferSize);
        datagram.CopyTo(copy);
        _early.Enqueue((copy, datagram.Length));
    }

    private void ReplayEarly()
    {
        while (_early.TryDequeue(out (byte[] Buffer, int Length) early))
        {
            try
            {
                HandleDatagram(early.Buffer.AsSpan(0, early.Length));
            }
            finally
            {
                DatagramPool.Return(early.Buffer);
            }
        }
    }

    /// <summary>
    /// SSRC from the description first (RFC 8843 §9.2), then the mid header extension, then a payload type
    /// only one track uses; a match by the latter two is remembered for the SSRC.
    /// </summary>
    private RemoteTrack? Route(scoped in RtpPacket packet)
    {
        if (_bySsrc.TryGetValue(packet.Ssrc, out RemoteTrack? known))
        {
            return known;
        }

        RemoteTrack? found = null;
        if (_midExtensionId != 0 && packet.TryGetExtension(_midExtensionId, out ReadOnlySpan<byte> mid))
        {
            foreach (RemoteTrack track in _tracks)
            {
                if (MediaIdentification.Matches(mid, track.Mid))
                {
                    found = track;
                    break;
                }
            }
        }

        if (found is null)
        {
            foreach (RemoteTrack track in _tracks)
            {
                if (track.PayloadType == packet.PayloadType)
                {
                    if (found is not null)
                    {
                        return null;
                    }

                    found = track;
                }
            }
        }

        if (found is not null)
        {
            _bySsrc[packet.Ssrc] = found;
        }

        return found;
    }

    private void HandleRtcp(Span<byte> datagram)
    {
        if (_inbound!.UnprotectRtcp(datagram, out int length) != SrtpStatus.Ok)
        {
            Interlocked.Increment(ref _srtpFailures);
            return;
        }

        Interlocked.Increment(ref _rtcpReceived);
        var packets = new RtcpCompoundEnumerator(datagram[..length]);
        while (packets.MoveNext())
        {
            // RFC 3550 §6.4.1: the SR ties the sender's NTP clock to its RTP timestamps.
            if (packets.CurrentKind == RtcpPacketKind.SenderReport
                && SenderReport.TryParse(packets.CurrentPacket, out SenderReport report, out _) == RtcpError.None
                && _bySsrc.TryGetValue(report.Ssrc, out RemoteTrack? track))
            {
                track.OnSenderReport(report.NtpTimestamp, report.RtpTimestamp);
                Interlocked.Increment(ref _senderReports);
            }
            else if (packets.CurrentKind == RtcpPacketKind.GenericNack
                && GenericNack.TryParse(packets.CurrentPacket, out GenericNack nack, out _) == RtcpError.None)
            {
                AnswerNack(nack);
            }
            else if (packets.CurrentKind == RtcpPacketKind.PictureLossIndication
                && PictureLossIndication.TryParse(packets.CurrentPacket, out PictureLossIndication pli, out _) == RtcpError.None
                && _vp8Sender is { } video && pli.MediaSsrc == video.Ssrc)
            {
                OnKeyFrameRequest();
            }
            else if (packets.CurrentKind == RtcpPacketKind.FullIntraRequest
                && FullIntraRequest.TryParse(packets.CurrentPacket, out FullIntraRequest fir, out _) == RtcpError.None
                && _vp8Sender is { } firVideo && FirTargets(fir, firVideo.Ssrc))
            {
                OnKeyFrameRequest();
            }
        }
    }

    /// <summary>RFC 5104 §4.3.1.1: a FIR's media SSRC is unused (0); each FCI entry names the SSRC it asks.</summary>
    private static bool FirTargets(FullIntraRequest fir, uint ssrc)
    {
        for (int i = 0; i < fir.EntryCount; i++)
        {
            if (fir.GetEntry(i).Ssrc == ssrc)
            {
                return true;
            }
        }

        return false;
    }

    private void OnKeyFrameRequest()
    {
        Interlocked.Increment(ref _keyFrameRequestsReceived);
        KeyFrameRequested?.Invoke();
    }

    private void OnTick()
    {
        Span<ushort> lost = stackalloc ushort[MaxNackPerPacket];
        foreach (RemoteTrack track in _tracks)
        {
            track.Drain(FrameReceived, TrackEncrypted);
            int count = track.TakeNackRequests(lost);
            if (count > 0)
            {
                SendNack(track, lost[..count]);
            }
        }

        long now = _time.GetTimestamp();
        if (now >= _nextReport && _outbound is not null)
        {
            _nextReport = now + (long)(_options.ReceiverReportInterval.TotalSeconds * _time.TimestampFrequency);
            if (_tracks.Length > 0)
            {
                SendReports(null);
            }
            else
            {
                if (_opusSender is not null && _sentPackets > 0)
                {
                    SendSenderReport(_opusSender.Ssrc, _lastSentRtpTimestamp, _lastSentAt, OpusPacketizer.ClockRate, _sentPackets, _sentPayloadOctets, now);
                }

                if (_vp8Sender is not null && _videoSentPackets > 0)
                {
                    SendSenderReport(_vp8Sender.Ssrc, _lastVideoRtpTimestamp, _lastVideoSentAt, Vp8Packetizer.ClockRate, _videoSentPackets, _videoSentOctets, now);
                }
            }
        }
    }

    /// <summary>
    /// Receiver reports, one compound RTCP packet (RFC 3550 §6.1) per received source: RR with that source's
    /// block, SDES CNAME, and a PLI (RFC 4585 §6.3.1) when <paramref name="keyFrameFor"/> is that source.
    /// One source per compound because an SFU routes a whole compound to the m-line of its first media SSRC
    /// (Janus does): a PLI for video behind an audio report block would reach the audio sender.
    /// </summary>
    /// <param name="keyFrameFor">When set, only this track's compound goes out, with a PLI.</param>
    private void SendReports(RemoteTrack? keyFrameFor)
    {
        if (_outbound is null || _ice is null)
        {
            return;
        }

        if (keyFrameFor is not null)
        {
            SendReport(keyFrameFor, pli: true);
            return;
        }

        bool any = false;
        foreach (RemoteTrack track in _tracks)
        {
            if (track.HasStatistics)
            {
                SendReport(track, pli: false);
                any = true;
            }
        }

        if (!any)
        {
            SendReport(null, pli: false);
        }
    }

    private void SendReport(RemoteTrack? track, bool pli)
    {
        Span<ReportBlock> blocks = stackalloc ReportBlock[1];
        int count = 0;
        if (track is not null && track.HasStatistics)
        {
            blocks[count++] = track.CreateReportBlock();
        }

        Span<byte> buffer = _sendBuffer;
        int length = new ReceiverReport { Ssrc = _localSsrc, ReportBlocks = ReportBlockList.From(blocks[..count]) }.WriteTo(buffer);
        Span<byte> chunk = stackalloc byte[8 + 2 + 255 + 4];
        var sdes = new SdesWriter(chunk);
        sdes.TryBeginChunk(_localSsrc);
        sdes.TryAddItem(SdesItemType.CName, _cname.AsSpan(0, Math.Min(_cname.Length, 255)));
        length += sdes.Complete().WriteTo(buffer[length..]);
        if (pli && track is not null)
        {
            uint media = track.MediaSsrc != 0 ? track.MediaSsrc : track.Ssrcs.Count > 0 ? track.Ssrcs[0] : 0;
            if (media != 0)
            {
                length += new PictureLossIndication(_localSsrc, media).WriteTo(buffer[length..]);
                Interlocked.Increment(ref _pliSent);
            }
        }

        if (_outbound!.ProtectRtcp(buffer, length, out int protectedLength) == SrtpStatus.Ok && _ice!.TrySend(buffer[..protectedLength]))
        {
            Interlocked.Increment(ref _rtcpSent);
        }
    }

    /// <summary>
    /// RR without blocks, SDES CNAME and a generic NACK (RFC 4585 §6.2.1) for <paramref name="track"/>: the
    /// NACK's media SSRC is then the compound's first, which is how an SFU finds the m-line it concerns.
    /// </summary>
    private void SendNack(RemoteTrack track, ReadOnlySpan<ushort> lost)
    {
        if (_outbound is null || _ice is null || track.MediaSsrc == 0)
        {
            return;
        }

        Span<byte> fci = stackalloc byte[MaxNackPerPacket * 4];
        int fciLength = GenericNack.WriteFci(lost, fci);
        if (fciLength <= 0)
        {
            return;
        }

        Span<byte> buffer = _sendBuffer;
        int length = new ReceiverReport { Ssrc = _localSsrc, ReportBlocks = ReportBlockList.From([]) }.WriteTo(buffer);
        Span<byte> chunk = stackalloc byte[8 + 2 + 255 + 4];
        var sdes = new SdesWriter(chunk);
        sdes.TryBeginChunk(_localSsrc);
        sdes.TryAddItem(SdesItemType.CName, _cname.AsSpan(0, Math.Min(_cname.Length, 255)));
        length += sdes.Complete().WriteTo(buffer[length..]);
        length += new GenericNack { SenderSsrc = _localSsrc, MediaSsrc = track.MediaSsrc, Fci = fci[..fciLength] }.WriteTo(buffer[length..]);
        if (_outbound.ProtectRtcp(buffer, length, out int protectedLength) == SrtpStatus.Ok && _ice.TrySend(buffer[..protectedLength]))
        {
            Interlocked.Increment(ref _rtcpSent);
            Interlocked.Add(ref _nacksSent, lost.Length);
            track.CountNacksSent(lost.Length);
        }
    }

    /// <summary>Resends what a NACK for one of our SSRCs asks for and the history still has (RFC 4585 §6.2.1; no RTX negotiated, so as is).</summary>
    private void AnswerNack(in GenericNack nack)
    {
        RetransmissionHistory? history = _opusSender is not null && nack.MediaSsrc == _opusSender.Ssrc ? _history
            : _vp8Sender is not null && nack.MediaSsrc == _vp8Sender.Ssrc ? _videoHistory
            : null;
        if (history is null || _outbound is null || _ice is null)
        {
            return;
        }

        Interlocked.Increment(ref _nacksReceived);
        Span<ushort> found = stackalloc ushort[MaxNackPerPacket];
        int count = history.GetAnswerable(nack, found);
        Span<byte> buffer = _sendBuffer;
        for (int i = 0; i < count; i++)
        {
            if (!history.TryGet(found[i], out ReadOnlySpan<byte> packet))
            {
                continue;
            }

            packet.CopyTo(buffer);
            if (_outbound.Protect(buffer, packet.Length, out int protectedLength) == SrtpStatus.Ok && _ice.TrySend(buffer[..protectedLength]))
            {
                Interlocked.Increment(ref _retransmitted);
            }
        }
    }

    /// <summary>
    /// SR with SDES CNAME (RFC 3550 §6.4.1, §6.1) for a track we send: the NTP time now and the RTP
    /// timestamp that corresponds to it, extrapolated from the track's last packet at its clock rate.
    /// </summary>
    private void SendSenderReport(uint ssrc, uint lastRtpTimestamp, long lastSentAt, int clockRate, long packets, long octets, long now)
    {
        if (_outbound is null || _ice is null)
        {
            return;
        }

        double sinceLast = (double)(now - lastSentAt) / _time.TimestampFrequency;
        var report = new SenderReport
        {
            Ssrc = ssrc,
            NtpTimestamp = NtpTime.FromDateTimeOffset(_time.GetUtcNow()),
            RtpTimestamp = lastRtpTimestamp + (uint)(sinceLast * clockRate),
            PacketCount = (uint)packets,
            OctetCount = (uint)octets,
            ReportBlocks = ReportBlockList.From([]),
        };
        Span<byte> buffer = _sendBuffer;
        int length = report.WriteTo(buffer);
        Span<byte> chunk = stackalloc byte[8 + 2 + 255 + 4];
        var sdes = new SdesWriter(chunk);
        sdes.TryBeginChunk(ssrc);
        sdes.TryAddItem(SdesItemType.CName, _cname.AsSpan(0, Math.Min(_cname.Length, 255)));
        length += sdes.Complete().WriteTo(buffer[length..]);
        if (_outbound.ProtectRtcp(buffer, length, out int protectedLength) == SrtpStatus.Ok && _ice.TrySend(buffer[..protectedLength]))
        {
            Interlocked.Increment(ref _rtcpSent);
        }
    }

    private void SendOpus(ReadOnlySpan<byte> opus, int samples)
    {
        if (_outbound is null || _opusSender is null || _ice is null)
        {
            return;
        }

        if (samples <= 0)
        {
            samples = OpusToc.GetSampleCount(opus);
            if (samples < 0)
            {
                return;
            }
        }

        Span<byte> buffer = _sendBuffer;
        uint timestamp = _opusSender.Timestamp;
        ReadOnlySpan<byte> payload = opus;
        if (SendTransform is { } transform)
        {
            int written = transform(opus, _opusSender.Ssrc, timestamp, _transformBuffer);
            if (written < 0 || written > _transformBuffer.Length)
            {
                _opusSender.Skip(samples);
                return;
            }

            payload = _transformBuffer.AsSpan(0, written);
        }

        ushort sequence = _opusSender.SequenceNumber;
        int length = _opusSender.Packetize(payload, samples, buffer);
        if (length <= 0)
        {
            return;
        }

        _history?.Store(buffer[..length]);
        if (DropOutgoingRtp is { } drop && drop(sequence))
        {
            return;
        }

        if (_outbound.Protect(buffer, length, out int protectedLength) == SrtpStatus.Ok && _ice.TrySend(buffer[..protectedLength]))
        {
            Interlocked.Increment(ref _rtpSent);
            _sentPackets++;
            _sentPayloadOctets += payload.Length;
            _lastSentRtpTimestamp = timestamp;
            _lastSentAt = _time.GetTimestamp();
        }
    }

    /// <summary>Packetizes one VP8 frame (RFC 7741 §4) and sends each packet, kept for NACK answers.</summary>
    private void SendVp8(ReadOnlySpan<byte> frame, int duration)
    {
        if (_outbound is null || _vp8Sender is null || _ice is null)
        {
            return;
        }

        uint timestamp = _vp8Timestamp;
        _vp8Timestamp += (uint)duration;
        Span<byte> buffer = _sendBuffer;
        Vp8FramePacketizer packets = _vp8Sender.BeginFrame(frame, timestamp);
        bool sent = false;
        while (packets.TryWriteNext(buffer, out int length))
        {
            _videoHistory?.Store(buffer[..length]);
            if (DropOutgoingRtp is { } drop && drop(BinaryPrimitives.ReadUInt16BigEndian(buffer[2..])))
            {
                continue;
            }

            if (_outbound.Protect(buffer, length, out int protectedLength) == SrtpStatus.Ok && _ice.TrySend(buffer[..protectedLength]))
            {
                Interlocked.Increment(ref _rtpSent);
                _videoSentPackets++;
                _videoSentOctets += length - RtpPacket.FixedHeaderLength;
                sent = true;
            }
        }

        if (sent)
        {
            Interlocked.Increment(ref _videoFramesSent);
            _lastVideoRtpTimestamp = timestamp;
            _lastVideoSentAt = _time.GetTimestamp();
        }
    }
}
