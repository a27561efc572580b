using Callbridge.Conference;
using Callbridge.Negotiation;
using Callbridge.Negotiation.Leave;
using Callbridge.PhoneMedia;
using Callbridge.Sdp;
using Callbridge.Sip.Calls;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Message;
using Microsoft.Extensions.Logging;

namespace Callbridge.Gateways.Sip;

/// <summary>
/// One bridged phone call as a gateway: it owns the SIP call, the RTP session, the prompt player and, once
/// joined, the conference leg. It ends one named way each: the phone hung up, the API stopped it, a
/// leave-now order (prompt, then BYE with the negotiator's reason), or the conference went away.
/// </summary>
internal abstract class PhoneBridgeCall : IGateway
{
    private readonly TaskCompletionSource<GatewayOutcome> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _life = new();
    private readonly Lock _gate = new();
    private int _leaving;
    private bool _finishing;
    private ConferenceLeg? _leg;
    private volatile GatewayRunState _state = GatewayRunState.Starting;

    protected PhoneBridgeCall(string gatewayId, string conferenceId, GatewayKind kind, PhoneRtpSession rtp, IGatewayObserver? observer, ILogger logger, TimeProvider time)
    {
        GatewayId = gatewayId;
        ConferenceId = conferenceId;
        Kind = kind;
        Rtp = rtp;
        Observer = observer;
        Logger = logger;
        Time = time;
        Player = new PromptPlayer(PromptLibrary.Default);
        rtp.AudioSource = Player;
    }

    public string GatewayId { get; }

    public string ConferenceId { get; }

    public GatewayKind Kind { get; }

    public bool NeedsDecodedMedia => true;

    public GatewayRunState State => _state;

    public Task<GatewayOutcome> Completion => _completion.Task;

    protected PhoneRtpSession Rtp { get; }

    protected PromptPlayer Player { get; }

    protected IGatewayObserver? Observer { get; }

    protected ILogger Logger { get; }

    protected TimeProvider Time { get; }

    protected CancellationToken Lifetime => _life.Token;

    /// <summary>The SIP side; set once the call exists (dial-in: at once; dial-out: when the INVITE goes out).</summary>
    protected SipCall? Sip { get; set; }

    /// <summary>The phone leg's RTP figures when the call ended (prompts streamed, digits received).</summary>
    public PhoneRtpStatistics? FinalRtpStatistics { get; private set; }

    /// <summary>The phone leg's RTP session (live counters, delay observer).</summary>
    internal PhoneRtpSession MediaSession => Rtp;

    /// <summary>The conference side's audio counters; null before the call joined or after it left.</summary>
    internal PhoneConferenceAudioStatistics? ConferenceAudioStatistics
    {
        get
        {
            ConferenceLeg? leg;
            lock (_gate) leg = _leg;
            return leg?.AudioStatistics;
        }
    }

    /// <summary>The call's place in its room's shared audio; null before the call joined or after it left.</summary>
    internal RoomAudioLease? SharedAudio
    {
        get
        {
            ConferenceLeg? leg;
            lock (_gate) leg = _leg;
            return leg?.Room;
        }
    }

    /// <summary>The participant the call publishes its caller as; null before the call joined or after it left.</summary>
    internal string? ConferenceParticipantId
    {
        get
        {
            ConferenceLeg? leg;
            lock (_gate) leg = _leg;
            return leg?.Session.ParticipantId;
        }
    }

    /// <summary>What the answered call is currently doing to media (hold honoured through <see cref="PhoneSdp"/>).</summary>
    public SdpDirection? MediaDirection => Rtp.Parameters?.Direction;

    /// <summary>Wires re-INVITE offers (hold/resume) and SIP INFO digits to the RTP session.</summary>
    protected void AttachSip(SipCall call)
    {
        Sip = call;
        call.OfferAnswerer = offer =>
        {
            if (!SessionDescription.TryParse(offer, out var sd, out _) || sd is null) return null;
            if (!PhoneSdp.TryCreateAnswer(sd, Rtp.LocalEndPoint, out var answer, out var media, out _) || answer is null || media is null) return null;
            Rtp.Update(media);
            return answer.ToString();
        };
        call.InDialogRequest += (c, req) =>
        {
            if (req.Method == "INFO" && !req.Body.IsEmpty) Rtp.ReportSipInfo(req.ContentType, req.Body.Span, out _);
        };
        _ = WatchSipEndAsync(call);
    }

    private async Task WatchSipEndAsync(SipCall call)
    {
        var end = await call.Ended.ConfigureAwait(false);
        // An outgoing call that never connected is reported by the dial-out itself (busy, no answer, cancelled).
        if (call is SipOutgoingCall && end.Outcome == SipCallOutcome.Cancelled) return;
        if (end.Outcome is SipCallOutcome.RemoteHangup or SipCallOutcome.KeepaliveFailed or SipCallOutcome.Cancelled or SipCallOutcome.NoAck)
        {
            Observer?.OnCallProgress(this, CallProgress.HungUp, end.Reason ?? end.Outcome.ToString());
            await FinishAsync(GatewayRunState.Stopped, null, "The phone hung up.").ConfigureAwait(false);
        }
    }

    /// <summary>Joins the conference and starts bridging; the gateway is Running afterwards.</summary>
    protected async Task JoinConferenceAsync(IConferenceConnector connector, RoomAudioHubs hubs, string displayName, CancellationToken ct)
    {
        var leg = await ConferenceLeg.JoinAsync(connector, hubs, ConferenceId, displayName, Rtp, Player, OnTrackEncrypted, OnRoomAudioLost, ct).ConfigureAwait(false);
        lock (_gate)
        {
            if (_finishing)
            {
                _ = leg.DisposeAsync().AsTask();
                return;
            }
            _leg = leg;
        }
        SetState(GatewayRunState.Running, "In the conference as " + displayName + ".");
        Observer?.OnRoomPolicyObserved(this, leg.Session.RequiresE2ee);
        _ = WatchConferenceAsync(leg.Session);
    }

    private async Task WatchConferenceAsync(IConferenceSession session)
    {
        try
        {
            await foreach (var e in session.Events.ReadAllAsync(Lifetime).ConfigureAwait(false))
            {
                switch (e)
                {
                    case ConferencePolicyChanged p:
                        Observer?.OnRoomPolicyObserved(this, p.RequiresE2ee);
                        if (p.RequiresE2ee) OnE2eeSignal(new ConferenceE2eeState(true, 0, 0, E2eeToggle.NeverToggled, null));
                        break;
                    case ConferenceEnded ended:
                        await EndCallAsync(BridgeReasons.ConferenceGone("ended"), GatewayRunState.Stopped, null, "The conference ended: " + ended.Reason).ConfigureAwait(false);
                        return;
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>The room's shared audio is gone for good (its subscription was lost and could not be renewed): the
    /// caller would hear nothing more, so the call ends.</summary>
    private void OnRoomAudioLost(string reason) =>
        _ = EndCallAsync(BridgeReasons.ConferenceGone("audio-lost"), GatewayRunState.Failed, null, "The conference audio was lost: " + reason);

    /// <summary>A track of the room is end-to-end encrypted (the hub tells every call of the room).</summary>
    private void OnTrackEncrypted(PublishedTrack track, string format)
    {
        Observer?.OnEncryptedMediaObserved(this, track.ParticipantId, track.TrackId, format);
        OnE2eeSignal(new ConferenceE2eeState(false, 0, 1, E2eeToggle.NeverToggled, null));
    }

    /// <summary>An E2EE signal seen by this call itself. Host-started gateways leave when the host orders it (it
    /// got the same signal through the observer); a dial-in, which no host started, asks the negotiator itself.</summary>
    protected virtual void OnE2eeSignal(ConferenceE2eeState state) { }

    /// <summary>Leave-now (IE2eeLeaveHandler): media stops at once, the caller hears why, then BYE with the Reason.</summary>
    public async Task<LeaveConfirmation> LeaveNowAsync(LeaveNowOrder order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (Interlocked.Exchange(ref _leaving, 1) != 0)
            return new LeaveConfirmation(GatewayId, order.Decision.ReasonCode, Time.GetUtcNow(), true, "SIP Reason header");
        ConferenceLeg? leg;
        lock (_gate) leg = _leg;
        leg?.StopMedia(Rtp, Player);
        var stoppedAt = Time.GetUtcNow();
        SetState(GatewayRunState.Stopping, order.Decision.HostMessage);
        try
        {
            Player.Stop();
            await Player.PlayAsync(order.Decision.ReasonCode == ReasonCodes.TenantFeatureDisabled ? PhonePrompt.Goodbye : PhonePrompt.E2eeTurnedOn, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        await EndCallAsync(BridgeReasons.Negotiator(order.Decision.ReasonCode), GatewayRunState.LeftForE2ee, order.Decision.ReasonCode, order.Decision.HostMessage).ConfigureAwait(false);
        return new LeaveConfirmation(GatewayId, order.Decision.ReasonCode, stoppedAt, true, "SIP Reason header");
    }

    public virtual async Task<GatewayOutcome> StopAsync(CancellationToken cancellationToken)
    {
        await EndCallAsync(BridgeReasons.NormalClearing, GatewayRunState.Stopped, null, "Stopped: the call was ended.").ConfigureAwait(false);
        return await Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Plays <paramref name="prompt"/> (bounded by its length plus a margin) and hangs up with <paramref name="reason"/>.</summary>
    protected async Task PromptAndHangUpAsync(PhonePrompt prompt, SipReason reason, GatewayRunState final, string? reasonCode, string summary)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(Lifetime);
        bound.CancelAfter(PromptLibrary.Default.DurationOf(prompt) + TimeSpan.FromSeconds(3));
        try { await Player.PlayAsync(prompt, bound.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
        await EndCallAsync(reason, final, reasonCode, summary).ConfigureAwait(false);
    }

    /// <summary>BYE with the Reason (if the call is up), then everything is released and the outcome recorded.</summary>
    protected async Task EndCallAsync(SipReason reason, GatewayRunState final, string? reasonCode, string summary)
    {
        var sip = Sip;
        if (sip is not null && !sip.IsEnded)
        {
            try { await sip.HangupAsync(reason).WaitAsync(TimeSpan.FromSeconds(35)).ConfigureAwait(false); }
            catch (TimeoutException) { }
        }
        await FinishAsync(final, reasonCode, summary).ConfigureAwait(false);
    }

    protected async Task FinishAsync(GatewayRunState final, string? reasonCode, string summary)
    {
        ConferenceLeg? leg;
        lock (_gate)
        {
            // The first way the call ends wins (the phone's BYE and an interrupted IVR step can race).
            if (_finishing) return;
            _finishing = true;
            leg = _leg;
            _leg = null;
        }
        await _life.CancelAsync().ConfigureAwait(false);
        Player.Stop();
        if (leg is not null) await leg.DisposeAsync().ConfigureAwait(false);
        FinalRtpStatistics = Rtp.Statistics;
        await Rtp.DisposeAsync().ConfigureAwait(false);
        OnFinished();
        SetState(final, summary);
        _completion.TrySetResult(new GatewayOutcome(final, reasonCode, summary, []));
    }

    /// <summary>Releases what the subclass holds (a dial-out slot).</summary>
    protected virtual void OnFinished() { }

    protected void SetState(GatewayRunState state, string? detail)
    {
        _state = state;
        Observer?.OnStateChanged(this, state, detail);
        Logger.LogInformation("Phone gateway {GatewayId} in {ConferenceId}: {State} ({Detail})", GatewayId, ConferenceId, state, detail);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_completion.Task.IsCompleted) await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _life.Dispose();
        GC.SuppressFinalize(this);
    }
}
