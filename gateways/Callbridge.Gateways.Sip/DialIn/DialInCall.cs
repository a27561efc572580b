using System.Threading.Channels;
using Callbridge.Conference;
using Callbridge.Negotiation;
using Callbridge.PhoneMedia;
using Callbridge.Sdp;
using Callbridge.Sip.Calls;
using Callbridge.Sip.Headers;
using Microsoft.Extensions.Logging;

namespace Callbridge.Gateways.Sip;

/// <summary>
/// One dial-in: the called number names the conference; the negotiator decides before anything joins (the
/// decision lands in the audit log); a refused caller hears why and is hung up with the reason code; otherwise
/// PIN entry (digits until '#', retries, lockout per caller number), then the caller joins the conference.
/// </summary>
internal sealed class DialInCall : PhoneBridgeCall
{
    private readonly SipIncomingCall _call;
    private readonly DialInNumberOptions _number;
    private readonly SipBridgeOptions _options;
    private readonly IConferenceConnector _connector;
    private readonly RoomAudioHubs _hubs;
    private readonly CapabilityNegotiator _negotiator;
    private readonly ISipTenantPolicies _tenants;
    private readonly PinLockout _lockout;
    private readonly Channel<DtmfDigit> _digits = Channel.CreateBounded<DtmfDigit>(new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest });
    private int _selfLeave;

    public DialInCall(SipIncomingCall call, DialInNumberOptions number, SipBridgeOptions options, PhoneRtpSession rtp,
        IConferenceConnector connector, RoomAudioHubs hubs, CapabilityNegotiator negotiator, ISipTenantPolicies tenants, PinLockout lockout,
        ILogger logger, TimeProvider time)
        : base("pstn-in-" + Guid.NewGuid().ToString("N")[..12],
            number.ConferenceId, GatewayKind.PstnDialIn, rtp, null, logger, time)
    {
        _call = call;
        _number = number;
        _options = options;
        _connector = connector;
        _hubs = hubs;
        _negotiator = negotiator;
        _tenants = tenants;
        _lockout = lockout;
        CallerNumber = call.Caller?.Uri.User;
        rtp.DigitReceived += d => _digits.Writer.TryWrite(d);
    }

    public string? CallerNumber { get; }

    /// <summary>The negotiator's answer for this call (null until asked).</summary>
    public CapabilityDecision? Decision { get; private set; }

    public async Task RunAsync()
    {
        try
        {
            await RunCoreAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (Lifetime.IsCancellationRequested)
        {
            // The call already ended another way (the phone hung up during a prompt); that way was recorded.
        }
        catch (Exception e) when (e is ConferenceException or OperationCanceledException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            Logger.LogWarning(e, "Dial-in {GatewayId} failed", GatewayId);
            if (!_call.IsEnded && _call.Dialog?.State != Callbridge.Sip.Dialogs.SipDialogState.Confirmed) _call.Reject(503, "Service Unavailable");
            await EndCallAsync(BridgeReasons.ConferenceGone("unavailable"), GatewayRunState.Failed, null, "The bridge could not join the conference: " + e.Message).ConfigureAwait(false);
        }
    }

    private async Task RunCoreAsync()
    {
        _call.Ring();
        var probe = await _connector.ProbeAsync(ConferenceId, Lifetime).ConfigureAwait(false);
        if (_call.IsEnded)
        {
            // CANCEL arrived while we asked the SFU: nothing was answered, nothing joined.
            await FinishAsync(GatewayRunState.Stopped, null, "The caller gave up before the call was answered.").ConfigureAwait(false);
            return;
        }
        if (!probe.Exists)
        {
            _call.Reject(404, "Not Found");
            await FinishAsync(GatewayRunState.Failed, null, "No such conference: " + ConferenceId).ConfigureAwait(false);
            return;
        }

        // A dial-in is not started through the control API: the bridge asks the negotiator itself, which
        // records the decision in the audit log.
        var e2ee = new ConferenceE2eeState(probe.RequiresE2ee, 0, 0, E2eeToggle.NeverToggled, null);
        var tenant = _tenants.PolicyFor(_number.TenantId);
        Decision = _negotiator.Decide(ConferenceId, GatewayId, GatewayRequest.For(GatewayKind.PstnDialIn, GatewayPhase.AboutToJoin), e2ee, tenant);

        if (!AnswerCall()) return;
        await _call.Acked.WaitAsync(TimeSpan.FromSeconds(32), Lifetime).ConfigureAwait(false);

        if (Decision.Outcome != CapabilityOutcome.Allow)
        {
            var prompt = Decision.ReasonCode == ReasonCodes.TenantFeatureDisabled ? PhonePrompt.Goodbye : PhonePrompt.E2eeRefused;
            await PromptAndHangUpAsync(prompt, BridgeReasons.Negotiator(Decision.ReasonCode), GatewayRunState.Failed, Decision.ReasonCode, Decision.HostMessage).ConfigureAwait(false);
            return;
        }

        string caller = CallerNumber ?? "anonymous";
        if (_number.Pin is not null)
        {
            if (_lockout.IsLockedOut(caller))
            {
                await PromptAndHangUpAsync(PhonePrompt.LockedOut, BridgeReasons.LockedOut, GatewayRunState.Failed, null, "The caller is locked out after wrong PINs.").ConfigureAwait(false);
                return;
            }
            await Player.PlayAsync(PhonePrompt.Welcome, Lifetime).ConfigureAwait(false);
            if (!await CollectPinAsync(caller, _number.Pin).ConfigureAwait(false)) return;
        }
        else
        {
            await Player.PlayAsync(PhonePrompt.Welcome, Lifetime).ConfigureAwait(false);
        }

        await JoinConferenceAsync(_connector, _hubs, CallerMask.DisplayName(CallerNumber), Lifetime).ConfigureAwait(false);
        if (_options.KeepaliveInterval > TimeSpan.Zero) _call.StartKeepalive(_options.KeepaliveInterval);
    }

    private bool AnswerCall()
    {
        if (_call.RemoteSdp is null || !SessionDescription.TryParse(_call.RemoteSdp, out var offer, out _) || offer is null
            || !PhoneSdp.TryCreateAnswer(offer, Rtp.LocalEndPoint, out var answer, out var media, out var error) || answer is null || media is null)
        {
            // RFC 3261 §13.3.1.3: an offer we cannot answer is refused with 488.
            _call.Reject(488, "Not Acceptable Here");
            _ = FinishAsync(GatewayRunState.Failed, null, "The phone's SDP offer has no usable audio.");
            return false;
        }
        AttachSip(_call);
        _call.Answer(answer.ToString());
        if (_call.IsEnded)
        {
            _ = FinishAsync(GatewayRunState.Stopped, null, "The caller gave up before the call was answered.");
            return false;
        }
        Rtp.Start(media);
        return true;
    }

    /// <summary>Up to <see cref="SipBridgeOptions.PinAttemptsPerCall"/> entries; every wrong one counts towards the
    /// caller's lockout. True when the right PIN was entered.</summary>
    private async Task<bool> CollectPinAsync(string caller, string pin)
    {
        for (int attempt = 1; ; attempt++)
        {
            await Player.PlayAsync(PhonePrompt.EnterPin, Lifetime).ConfigureAwait(false);
            string entered = await ReadDigitsAsync().ConfigureAwait(false);
            if (entered == pin)
            {
                _lockout.RecordSuccess(caller);
                return true;
            }
            bool locked = _lockout.RecordFailure(caller);
            Logger.LogInformation("Dial-in {GatewayId}: wrong PIN {Attempt} from {Caller}", GatewayId, attempt, CallerMask.DisplayName(CallerNumber));
            if (locked)
            {
                await PromptAndHangUpAsync(PhonePrompt.LockedOut, BridgeReasons.LockedOut, GatewayRunState.Failed, null, "The caller was locked out after wrong PINs.").ConfigureAwait(false);
                return false;
            }
            if (attempt >= _options.PinAttemptsPerCall)
            {
                await PromptAndHangUpAsync(PhonePrompt.Goodbye, BridgeReasons.WrongPin, GatewayRunState.Failed, null, "Wrong PIN.").ConfigureAwait(false);
                return false;
            }
            await Player.PlayAsync(PhonePrompt.WrongPin, Lifetime).ConfigureAwait(false);
        }
    }

    /// <summary>Digits until '#' (not included), 12 digits, or <see cref="SipBridgeOptions.PinDigitTimeout"/> of silence.</summary>
    private async Task<string> ReadDigitsAsync()
    {
        var sb = new System.Text.StringBuilder(12);
        while (sb.Length < 12)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(Lifetime);
            wait.CancelAfter(_options.PinDigitTimeout);
            DtmfDigit d;
            try { d = await _digits.Reader.ReadAsync(wait.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) when (!Lifetime.IsCancellationRequested) { break; }
            if (d.Digit == '#') break;
            sb.Append(d.Digit);
        }
        return sb.ToString();
    }

    /// <summary>The conference became E2EE while the caller is in it: the bridge asks the negotiator (nobody else
    /// started this call) and obeys a leave-now answer itself.</summary>
    protected override void OnE2eeSignal(ConferenceE2eeState state)
    {
        var decision = _negotiator.Decide(ConferenceId, GatewayId, GatewayRequest.For(GatewayKind.PstnDialIn, GatewayPhase.Running), state, _tenants.PolicyFor(_number.TenantId));
        if (decision.Outcome != CapabilityOutcome.LeaveNow || Interlocked.Exchange(ref _selfLeave, 1) != 0) return;
        var now = Time.GetUtcNow();
        _ = LeaveNowAsync(new Negotiation.Leave.LeaveNowOrder(ConferenceId, GatewayId, Kind, decision, now, now + TimeSpan.FromSeconds(30)), CancellationToken.None);
    }
}
