using System.Net;
using System.Text;
using Callbridge.Stun;

namespace Callbridge.Ice;

/// <summary>Incoming Binding requests and responses (RFC 8445 §7.2.5, §7.3).</summary>
public sealed partial class IceAgent
{
    private void OnStun(IceAgentEvent.StunReceived received)
    {
        ReadOnlySpan<byte> datagram = received.Buffer.AsSpan(0, received.Length);
        if (StunMessage.TryParse(datagram, out StunMessage message, out _) != StunParseError.None
            || message.Type.Method != StunMethod.Binding)
        {
            return;
        }

        // RFC 8445 §7.3 / §5.1 of RFC 7983: ICE peers always add FINGERPRINT; a bad one means "not ours".
        if (message.HasFingerprint && !message.VerifyFingerprint())
        {
            return;
        }

        switch (message.Type.Class)
        {
            case StunClass.Request:
                OnRequest(message, received.Local, received.Remote);
                break;
            case StunClass.SuccessResponse:
            case StunClass.ErrorResponse:
                OnResponse(message, received.Local, received.Remote);
                break;
            default:
                // Binding indications are keepalives (RFC 8445 §11): nothing to do.
                break;
        }
    }

    private void OnRequest(StunMessage request, LocalBase local, IPEndPoint remote)
    {
        _requestsReceived++;
        if (_remoteKey is null)
        {
            _requestsBeforeRemoteCredentials++;
        }

        // RFC 8489 §9.1.3: missing USERNAME or MESSAGE-INTEGRITY -> 400; unknown user or bad MAC -> 401.
        if (!request.TryGetUsername(out ReadOnlySpan<byte> username) || !request.HasMessageIntegrity)
        {
            _badRequestsSent++;
            SendError(request, local, remote, 400, "Bad Request", withIntegrity: false);
            return;
        }

        if (!UsernameIsOurs(username) || !request.VerifyMessageIntegrity(_localKey))
        {
            _unauthorizedSent++;
            SendError(request, local, remote, 401, "Unauthorized", withIntegrity: false);
            return;
        }

        if (request.TryFindUnknownComprehensionRequired(out ushort unknown))
        {
            SendError(request, local, remote, 420, "Unknown Attribute", withIntegrity: true, unknown);
            return;
        }

        // RFC 8445 §7.3.1.1: role conflict, decided by the tie-breakers.
        if (Role == IceRole.Controlling && request.TryGetIceControlling(out ulong theirsControlling))
        {
            if (_tieBreaker >= theirsControlling)
            {
                _roleConflictsSent++;
                SendError(request, local, remote, 487, "Role Conflict", withIntegrity: true);
                return;
            }

            SwitchRole(IceRole.Controlled);
        }
        else if (Role == IceRole.Controlled && request.TryGetIceControlled(out ulong theirsControlled))
        {
            if (_tieBreaker >= theirsControlled)
            {
                SwitchRole(IceRole.Controlling);
            }
            else
            {
                _roleConflictsSent++;
                SendError(request, local, remote, 487, "Role Conflict", withIntegrity: true);
                return;
            }
        }

        SendSuccess(request, local, remote);

        // RFC 8445 §7.3.1.3: an unknown source address is a peer-reflexive candidate, with the
        // priority the request announced.
        RemoteCandidate? candidate = FindRemote(remote);
        if (candidate is null)
        {
            request.TryGetPriority(out uint priority);
            candidate = new RemoteCandidate(new IceCandidate("prflx" + (++_peerReflexiveCount).ToString(System.Globalization.CultureInfo.InvariantCulture),
                1, priority, remote, IceCandidateType.PeerReflexive));
            _remoteCandidates.Add(candidate);
        }

        // RFC 8445 §7.3.1.4: triggered check on the pair the request came in on.
        IceCandidatePair pair = FindPair(local, candidate) ?? AddPair(local, candidate, IceCandidatePairState.Waiting);
        bool useCandidate = request.HasUseCandidate && Role == IceRole.Controlled;
        pair.RequestsAnswered++;
        pair.UseCandidateReceived |= request.HasUseCandidate;
        switch (pair.State)
        {
            case IceCandidatePairState.Succeeded:
                if (useCandidate)
                {
                    // RFC 8445 §7.3.1.5: nominated pair already valid.
                    Nominate(pair);
                }

                break;
            case IceCandidatePairState.InProgress:
                break;
            default:
                if (_selected is null || useCandidate)
                {
                    pair.State = IceCandidatePairState.Waiting;
                    _triggered.Enqueue(pair);
                }

                break;
        }

        if (useCandidate && pair.State != IceCandidatePairState.Succeeded)
        {
            pair.NominateOnSuccess = true;
        }
    }

    private bool UsernameIsOurs(ReadOnlySpan<byte> username)
    {
        // USERNAME of a check is "<our ufrag>:<their ufrag>" (RFC 8445 §7.2.2).
        string ufrag = _loopLocal.UsernameFragment;
        Span<byte> expected = stackalloc byte[Encoding.UTF8.GetMaxByteCount(ufrag.Length) + 1];
        int length = Encoding.UTF8.GetBytes(ufrag, expected);
        expected[length++] = (byte)':';
        return username.StartsWith(expected[..length]);
    }

    private void OnResponse(StunMessage response, LocalBase local, IPEndPoint remote)
    {
        UInt128 key = KeyOf(response.TransactionId);
        if (!_transactions.TryGetValue(key, out IceTransaction? transaction))
        {
            _unmatchedResponses++;
            return;
        }

        // RFC 8445 §7.2.5.1 / RFC 8489 §9.1.4: the response must carry a valid MESSAGE-INTEGRITY keyed with
        // the password the request used; otherwise it is discarded and the transaction goes on.
        if (!response.VerifyMessageIntegrity(transaction.RemoteKey) && !IsUnauthenticatedRejection(response))
        {
            _unmatchedResponses++;
            return;
        }

        _transactions.Remove(key);
        IceCandidatePair pair = transaction.Pair;
        pair.ResponsesReceived++;
        long now = Now;

        // RFC 8445 §7.2.5.2.1: the response must come from where the request went, on the same base.
        if (pair.Local != local || !pair.Remote.EndPoint.Equals(remote))
        {
            if (!transaction.IsConsent)
            {
                pair.State = IceCandidatePairState.Failed;
                // A failed nominating check lets regular nomination pick the next valid pair (RFC 8445 §8.1.1).
                if (transaction.UseCandidate)
                {
                    _nominating = false;
                }
            }

            return;
        }

        if (response.Type.Class == StunClass.ErrorResponse)
        {
            response.TryGetErrorCode(out int code, out _);
            pair.LastErrorReceived = code;
            if (code == 487 && !transaction.IsConsent)
            {
                // RFC 8445 §7.2.5.1: switch role (unless already switched) and check the pair again.
                if (Role == transaction.RoleWhenSent)
                {
                    SwitchRole(transaction.RoleWhenSent == IceRole.Controlling ? IceRole.Controlled : IceRole.Controlling);
                }

                pair.State = IceCandidatePairState.Waiting;
                pair.UseCandidateOnNextCheck = transaction.UseCandidate && Role == IceRole.Controlling;
                _nominating = false;
                _triggered.Enqueue(pair);
            }
            else if (!transaction.IsConsent)
            {
                pair.State = IceCandidatePairState.Failed;
                if (transaction.UseCandidate)
                {
                    _nominating = false;
                }
            }

            return;
        }

        if (transaction.IsConsent || pair == _selected)
        {
            // RFC 7675 §5.1: an authenticated response on the selected pair refreshes consent.
            if (pair == _selected)
            {
                _lastConsentTimestamp = now;
            }

            if (transaction.IsConsent)
            {
                return;
            }
        }

        // RFC 8445 §7.2.5.3: success. With host candidates only, the mapped address is the base itself,
        // so the valid pair is the pair checked.
        pair.State = IceCandidatePairState.Succeeded;
        if (_firstValidTimestamp < 0)
        {
            _firstValidTimestamp = now;
        }

        FindValidPath(pair);

        // RFC 8445 §7.2.5.3.3: unfreeze pairs sharing the foundation.
        foreach (IceCandidatePair other in _checklist)
        {
            if (other.State == IceCandidatePairState.Frozen && other.Foundation == pair.Foundation)
            {
                other.State = IceCandidatePairState.Waiting;
            }
        }

        if ((transaction.UseCandidate && Role == IceRole.Controlling) || (pair.NominateOnSuccess && Role == IceRole.Controlled))
        {
            Nominate(pair);
        }
    }

    /// <summary>
    /// 400 and 401 answer requests the peer could not authenticate, so they carry no MESSAGE-INTEGRITY
    /// (RFC 8489 §9.1.3); matching our random 96-bit transaction ID is the proof they answer our check.
    /// </summary>
    private static bool IsUnauthenticatedRejection(StunMessage response) =>
        response.Type.Class == StunClass.ErrorResponse && !response.HasMessageIntegrity
        && response.TryGetErrorCode(out int code, out _) && code is 400 or 401;

    private void SendSuccess(StunMessage request, LocalBase local, IPEndPoint remote)
    {
        // RFC 8445 §7.3.1.2 / RFC 8489 §7.3.1: XOR-MAPPED-ADDRESS of the source, integrity with our password.
        Span<byte> buffer = stackalloc byte[128];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingSuccess, request.TransactionId);
        writer.AddXorMappedAddress(StunAddress.FromEndPoint(remote));
        writer.AddMessageIntegrity(_localKey);
        writer.AddFingerprint();
        SendTo(local, remote, writer.Written);
    }

    private void SendError(StunMessage request, LocalBase local, IPEndPoint remote, int code, string reason, bool withIntegrity, ushort unknown = 0)
    {
        Span<byte> buffer = stackalloc byte[160];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingError, request.TransactionId);
        writer.AddErrorCode(code, reason);
        if (code == 420)
        {
            writer.AddUnknownAttributes([unknown]);
        }

        if (withIntegrity)
        {
            writer.AddMessageIntegrity(_localKey);
        }

        writer.AddFingerprint();
        SendTo(local, remote, writer.Written);
    }

    private void SendTo(LocalBase local, IPEndPoint remote, ReadOnlySpan<byte> datagram)
    {
        RemoteCandidate? known = FindRemote(remote);
        SendRaw(local, known?.SocketAddress ?? remote.Serialize(), datagram);
    }
}
