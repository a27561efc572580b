using System.Security.Cryptography;
using System.Text;
using Callbridge.Stun;

namespace Callbridge.Ice;

/// <summary>Loop-owned state and the check list (RFC 8445 §6.1, §7.2, §8).</summary>
public sealed partial class IceAgent
{
    private readonly List<RemoteCandidate> _remoteCandidates = [];
    private readonly List<IceCandidatePair> _checklist = [];
    private readonly Queue<IceCandidatePair> _triggered = new();
    private readonly Dictionary<UInt128, IceTransaction> _transactions = [];
    private readonly List<IceTransaction> _dueScratch = [];
    // The loop's view of our credentials; LocalCredentials changes first, on the caller's thread.
    private IceCredentials _loopLocal;
    private byte[] _localKey;
    private bool _remoteRestarted;
    private IceCredentials? _remoteCredentials;
    private byte[]? _remoteKey;
    private IceCandidatePair? _selected;
    private long _firstValidTimestamp = -1;
    private bool _nominating;
    private bool _consentExpired;
    private long _lastConsentTimestamp;
    private long _nextConsentTimestamp;
    private int _peerReflexiveCount;

    // Diagnostics (IceDiagnostics), counted on the loop except the receive threads' drop count.
    private int _requestsReceived;
    private int _requestsBeforeRemoteCredentials;
    private int _badRequestsSent;
    private int _unauthorizedSent;
    private int _roleConflictsSent;
    private int _unmatchedResponses;
    private long _unvalidatedDatagrams;

    private IceDiagnostics BuildDiagnostics() => new(
        State, Role, _remoteKey is not null, _remoteCandidates.Count, _requestsReceived, _requestsBeforeRemoteCredentials,
        _badRequestsSent, _unauthorizedSent, _roleConflictsSent, _unmatchedResponses, Interlocked.Read(ref _unvalidatedDatagrams),
        _checklist.ConvertAll(p => p.ToDiagnostics()));

    private long Now => _time.GetTimestamp();

    private long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private void Handle(IceAgentEvent e)
    {
        switch (e)
        {
            case IceAgentEvent.Tick:
                OnTick();
                break;
            case IceAgentEvent.StunReceived received:
                try
                {
                    OnStun(received);
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(received.Buffer);
                }

                break;
            case IceAgentEvent.RemoteCredentials credentials:
                OnRemoteCredentials(credentials.Credentials);
                break;
            case IceAgentEvent.RemoteCandidateAdded added:
                OnRemoteCandidate(added.Candidate);
                break;
            case IceAgentEvent.Restart restart:
                OnRestart(restart.Local);
                break;
            case IceAgentEvent.Diagnose diagnose:
                diagnose.Result.TrySetResult(BuildDiagnostics());
                return;
        }

        UpdateState();
    }

    private void OnRemoteCredentials(IceCredentials credentials)
    {
        if (_remoteCredentials == credentials)
        {
            return;
        }

        if (_remoteCredentials is not null)
        {
            // The peer restarted (RFC 8445 §9.1.1): its old candidates and our checks are void.
            ResetChecks();
            _remoteRestarted = true;
        }

        _remoteCredentials = credentials;
        _remoteKey = Encoding.UTF8.GetBytes(credentials.Password);
    }

    private void OnRestart(IceCredentials local)
    {
        _loopLocal = local;
        _localKey = Encoding.UTF8.GetBytes(local.Password);
        if (_remoteRestarted)
        {
            // Answering the peer's restart: keep its new credentials and candidates, start a fresh check list.
            RemoteCandidate[] keep = [.. _remoteCandidates];
            ResetChecks();
            foreach (RemoteCandidate remote in keep)
            {
                OnRemoteCandidate(remote.Candidate);
            }
        }
        else
        {
            _remoteCredentials = null;
            _remoteKey = null;
            ResetChecks();
        }

        _remoteRestarted = false;
        _consentExpired = false;
        SetState(IceConnectionState.Checking);
    }

    private void ResetChecks()
    {
        _remoteCandidates.Clear();
        _checklist.Clear();
        _triggered.Clear();
        _transactions.Clear();
        _firstValidTimestamp = -1;
        _nominating = false;
        // The old pair keeps carrying media (RFC 8445 §9) but is no longer checked for consent.
        _selected = null;
    }

    private void OnRemoteCandidate(IceCandidate candidate)
    {
        // One component (rtcp-mux, BUNDLE); a repeated candidate changes nothing.
        RemoteCandidate? known = FindRemote(candidate.EndPoint);
        if (candidate.Component != 1 || known is { Candidate.Type: not IceCandidateType.PeerReflexive })
        {
            return;
        }

        if (known is not null)
        {
            // A signalled candidate replaces the peer-reflexive one learned for the same address (RFC 8445 §7.3.1.3).
            // The pair objects stay: a check in flight on one (sent while the address was known only as
            // peer-reflexive) must find its pair on the check list when its response arrives.
            int index = _remoteCandidates.IndexOf(known);
            var replacement = new RemoteCandidate(candidate);
            _remoteCandidates[index] = replacement;
            foreach (IceCandidatePair pair in _checklist)
            {
                if (pair.Remote == known)
                {
                    pair.Remote = replacement;
                    pair.UpdatePriority(Role);
                    if (_selected == pair)
                    {
                        _selectedPair = new IceSelectedPair(pair.Local.Candidate, replacement.Candidate);
                    }
                }
            }

            SortChecklist();
            return;
        }

        var remote = new RemoteCandidate(candidate);
        _remoteCandidates.Add(remote);
        foreach (LocalBase local in _bases)
        {
            if (CanPair(local, remote))
            {
                AddPair(local, remote, IceCandidatePairState.Frozen);
            }
        }

        UnfreezeInitial();
    }

    private static bool CanPair(LocalBase local, RemoteCandidate remote) =>
        local.EndPoint.AddressFamily == remote.EndPoint.AddressFamily
        && System.Net.IPAddress.IsLoopback(local.EndPoint.Address) == System.Net.IPAddress.IsLoopback(remote.EndPoint.Address);

    private RemoteCandidate? FindRemote(System.Net.IPEndPoint endPoint)
    {
        foreach (RemoteCandidate remote in _remoteCandidates)
        {
            if (remote.EndPoint.Equals(endPoint))
            {
                return remote;
            }
        }

        return null;
    }

    private IceCandidatePair? FindPair(LocalBase local, RemoteCandidate remote)
    {
        foreach (IceCandidatePair pair in _checklist)
        {
            if (pair.Local == local && pair.Remote == remote)
            {
                return pair;
            }
        }

        return null;
    }

    private IceCandidatePair AddPair(LocalBase local, RemoteCandidate remote, IceCandidatePairState state)
    {
        var pair = new IceCandidatePair(local, remote) { State = state };
        pair.UpdatePriority(Role);
        _checklist.Add(pair);
        SortChecklist();
        return pair;
    }

    private void SortChecklist() => _checklist.Sort(static (a, b) => b.Priority.CompareTo(a.Priority));

    /// <summary>RFC 8445 §6.1.2.6: per foundation, the highest-priority pair starts Waiting, the rest Frozen.</summary>
    private void UnfreezeInitial()
    {
        foreach (IceCandidatePair pair in _checklist)
        {
            if (pair.State != IceCandidatePairState.Frozen)
            {
                continue;
            }

            bool foundationActive = false;
            foreach (IceCandidatePair other in _checklist)
            {
                if (other != pair && other.State != IceCandidatePairState.Frozen && other.Foundation == pair.Foundation)
                {
                    foundationActive = true;
                    break;
                }
            }

            if (!foundationActive)
            {
                pair.State = IceCandidatePairState.Waiting;
            }
        }
    }

    private void OnTick()
    {
        long now = Now;
        RetransmitDue(now);
        SendNextCheck();

        MaybeNominate(now);
        RunConsent(now);
    }

    private void RetransmitDue(long now)
    {
        _dueScratch.Clear();
        foreach (IceTransaction transaction in _transactions.Values)
        {
            if (now >= transaction.NextTimestamp)
            {
                _dueScratch.Add(transaction);
            }
        }

        foreach (IceTransaction transaction in _dueScratch)
        {
            if (transaction.Transmissions < _options.MaxTransmissions)
            {
                // RFC 8489 §6.2.1: RTO doubles; after the last transmission wait Rm (16) x the initial RTO.
                SendRaw(transaction.Pair.Local, transaction.Pair.Remote.SocketAddress, transaction.Request.AsSpan(0, transaction.Length));
                transaction.Pair.ChecksSent++;
                transaction.Transmissions++;
                transaction.Rto *= 2;
                transaction.NextTimestamp = now + ToTimestamp(transaction.Transmissions >= _options.MaxTransmissions
                    ? _options.InitialRto * 16 : transaction.Rto);
                continue;
            }

            _transactions.Remove(KeyOf(transaction.Request.AsSpan(8, StunMessage.TransactionIdLength)));
            if (transaction.IsConsent)
            {
                continue;
            }

            // RFC 8445 §7.2.5.4: a check that times out fails its pair.
            transaction.Pair.State = IceCandidatePairState.Failed;
            if (transaction.UseCandidate)
            {
                _nominating = false;
            }
        }
    }

    private void SendNextCheck()
    {
        if (_remoteKey is null)
        {
            return;
        }

        // RFC 8445 §6.1.4.2: triggered checks first, then the highest-priority Waiting pair, then a Frozen one.
        while (_triggered.TryDequeue(out IceCandidatePair? triggered))
        {
            if (_checklist.Contains(triggered) && (triggered.State != IceCandidatePairState.InProgress || triggered.UseCandidateOnNextCheck))
            {
                SendCheck(triggered, consent: false);
                return;
            }
        }

        // Once a pair is selected, only better pairs are still worth checking (aggressive nomination).
        // A plain loop: this runs every Ta and an idle agent should not allocate.
        IceCandidatePair? waiting = null, frozen = null;
        foreach (IceCandidatePair p in _checklist)
        {
            if (_selected is not null && p.Priority <= _selected.Priority)
            {
                break; // the list is sorted by priority
            }

            if (p.State == IceCandidatePairState.Waiting)
            {
                waiting = p;
                break;
            }

            frozen ??= p.State == IceCandidatePairState.Frozen ? p : null;
        }

        if ((waiting ?? frozen) is { } next)
        {
            SendCheck(next, consent: false);
        }
    }

    private void SendCheck(IceCandidatePair pair, bool consent)
    {
        IceCredentials remote = _remoteCredentials!;
        IceCredentials local = _loopLocal;
        IceRole role = Role;
        bool useCandidate = !consent && role == IceRole.Controlling
            && (_options.Nomination == IceNominationMode.Aggressive || pair.UseCandidateOnNextCheck);
        pair.UseCandidateOnNextCheck = false;

        Span<byte> transactionId = stackalloc byte[StunMessage.TransactionIdLength];
        RandomNumberGenerator.Fill(transactionId);
        byte[] request = new byte[128 + (4 * (remote.UsernameFragment.Length + local.UsernameFragment.Length))];
        var writer = new StunMessageWriter(request, StunMessageType.BindingRequest, transactionId);
        // RFC 8445 §7.2.2: USERNAME "remote:local", PRIORITY as peer-reflexive, the role and tie-breaker,
        // USE-CANDIDATE when nominating, short-term MESSAGE-INTEGRITY with the peer's password, FINGERPRINT.
        writer.AddUsername($"{remote.UsernameFragment}:{local.UsernameFragment}".AsSpan());
        writer.AddPriority(pair.Local.PeerReflexivePriority);
        if (role == IceRole.Controlling)
        {
            writer.AddIceControlling(_tieBreaker);
            if (useCandidate)
            {
                writer.AddUseCandidate();
            }
        }
        else
        {
            writer.AddIceControlled(_tieBreaker);
        }

        writer.AddMessageIntegrity(_remoteKey);
        writer.AddFingerprint();

        var transaction = new IceTransaction(pair, request, writer.Length)
        {
            RemoteKey = _remoteKey!,
            RoleWhenSent = role,
            UseCandidate = useCandidate,
            IsConsent = consent,
            Transmissions = 1,
            Rto = _options.InitialRto,
            NextTimestamp = Now + ToTimestamp(_options.InitialRto),
        };
        _transactions[KeyOf(transactionId)] = transaction;
        if (!consent && pair.State != IceCandidatePairState.Succeeded)
        {
            pair.State = IceCandidatePairState.InProgress;
        }

        pair.ChecksSent++;
        SendRaw(pair.Local, pair.Remote.SocketAddress, request.AsSpan(0, writer.Length));
    }

    /// <summary>Regular nomination (RFC 8445 §8.1.1): once higher-priority pairs are done or a short wait passed, nominate the best valid pair.</summary>
    private void MaybeNominate(long now)
    {
        if (Role != IceRole.Controlling || _options.Nomination != IceNominationMode.Regular || _selected is not null
            || _nominating || _remoteKey is null)
        {
            return;
        }

        IceCandidatePair? best = _checklist.Find(p => p.State == IceCandidatePairState.Succeeded);
        if (best is null)
        {
            return;
        }

        bool higherPending = _checklist.Exists(p => p.Priority > best.Priority
            && p.State is IceCandidatePairState.Frozen or IceCandidatePairState.Waiting or IceCandidatePairState.InProgress);
        if (higherPending && now - _firstValidTimestamp < ToTimestamp(_options.NominationDelay))
        {
            return;
        }

        best.UseCandidateOnNextCheck = true;
        _nominating = true;
        _triggered.Enqueue(best);
    }

    /// <summary>RFC 7675 §5.1: a check on the selected pair every 4-6 s; no response for 30 s revokes consent.</summary>
    private void RunConsent(long now)
    {
        if (_selected is null || _remoteKey is null)
        {
            return;
        }

        long silent = now - _lastConsentTimestamp;
        if (silent > ToTimestamp(_options.ConsentTimeout))
        {
            _consentExpired = true;
            _selected = null;
            _selectedPair = null;
            _sendPath = null;
            _validPaths = [];
            _transactions.Clear();
            return;
        }

        if (now >= _nextConsentTimestamp)
        {
            SendCheck(_selected, consent: true);
            ScheduleConsent(now);
        }
    }

    private void ScheduleConsent(long now) =>
        _nextConsentTimestamp = now + ToTimestamp(_options.ConsentInterval * (0.8 + (0.4 * Random.Shared.NextDouble())));

    private void UpdateState()
    {
        if (_consentExpired)
        {
            SetState(IceConnectionState.Failed);
            return;
        }

        if (_selected is not null)
        {
            if (Now - _lastConsentTimestamp > ToTimestamp(_options.DisconnectedTimeout))
            {
                SetState(IceConnectionState.Disconnected);
                return;
            }

            bool pending = _triggered.Count > 0 || _checklist.Exists(p =>
                p.State is IceCandidatePairState.Frozen or IceCandidatePairState.Waiting or IceCandidatePairState.InProgress);
            SetState(pending ? IceConnectionState.Connected : IceConnectionState.Completed);
            return;
        }

        if (_remoteKey is null || _checklist.Count == 0)
        {
            return;
        }

        bool allFailed = _triggered.Count == 0 && _checklist.TrueForAll(p => p.State == IceCandidatePairState.Failed);
        SetState(allFailed ? IceConnectionState.Failed : IceConnectionState.Checking);
    }

    private void Nominate(IceCandidatePair pair)
    {
        pair.Nominated = true;
        _nominating = false;
        if (_selected is not null && _selected != pair && _selected.Priority >= pair.Priority)
        {
            return;
        }

        _selected = pair;
        long now = Now;
        _lastConsentTimestamp = now;
        ScheduleConsent(now);
        _selectedPair = new IceSelectedPair(pair.Local.Candidate, pair.Remote.Candidate);
        _sendPath = FindValidPath(pair);

        // RFC 8445 §8.1.2: once nominated, the remaining checks for the component stop. With aggressive
        // nomination a better pair may still be nominated after a worse one (RFC 5245 §8.1.1.2), so
        // checks on higher-priority pairs go on.
        bool keepBetter = _options.Nomination == IceNominationMode.Aggressive;
        bool Stops(IceCandidatePair other) => other != pair && !(keepBetter && other.Priority > pair.Priority);
        _triggered.Clear();
        foreach (IceCandidatePair other in _checklist)
        {
            if (Stops(other) && other.State is IceCandidatePairState.Frozen or IceCandidatePairState.Waiting or IceCandidatePairState.InProgress)
            {
                other.State = IceCandidatePairState.Failed;
            }
        }

        _dueScratch.Clear();
        foreach (IceTransaction transaction in _transactions.Values)
        {
            if (!transaction.IsConsent && Stops(transaction.Pair))
            {
                _dueScratch.Add(transaction);
            }
        }

        foreach (IceTransaction transaction in _dueScratch)
        {
            _transactions.Remove(KeyOf(transaction.Request.AsSpan(8, StunMessage.TransactionIdLength)));
        }
    }

    private SendPath FindValidPath(IceCandidatePair pair)
    {
        foreach (SendPath path in _validPaths)
        {
            if (path.Local == pair.Local && path.EndPoint.Equals(pair.Remote.EndPoint))
            {
                return path;
            }
        }

        var created = new SendPath(pair.Local, pair.Remote);
        _validPaths = [.. _validPaths, created];
        return created;
    }

    private void SwitchRole(IceRole role)
    {
        // RFC 8445 §7.3.1.1 / §7.2.5.1: a role change recomputes pair priorities.
        _role = (int)role;
        foreach (IceCandidatePair pair in _checklist)
        {
            pair.UpdatePriority(role);
        }

        SortChecklist();
    }

    private static UInt128 KeyOf(ReadOnlySpan<byte> transactionId)
    {
        Span<byte> padded = stackalloc byte[16];
        padded.Clear();
        transactionId.CopyTo(padded);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(padded);
    }
}
