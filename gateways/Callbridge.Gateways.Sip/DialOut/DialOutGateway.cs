using System.Net;
using Callbridge.Conference;
using Callbridge.Negotiation;
using Callbridge.PhoneMedia;
using Callbridge.Sdp;
using Callbridge.Sip.Calls;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace Callbridge.Gateways.Sip;

/// <summary>
/// A dial-out started by the control API: it joins the conference, calls the destination through the trunk and
/// reports dialing / ringing / answered / busy / no-answer / failed; once answered the phone is bridged.
/// </summary>
internal sealed class DialOutGateway : PhoneBridgeCall
{
    /// <summary>Tone length of each post-dial key: 100 ms, well above the 40 ms ITU-T Q.24 minimum receivers accept.</summary>
    private static readonly TimeSpan KeyTone = TimeSpan.FromMilliseconds(100);

    /// <summary>Gap between SIP INFO keys, as between tones: a receiver sees distinct presses.</summary>
    private static readonly TimeSpan InfoGap = TimeSpan.FromMilliseconds(100);

    private readonly IDisposable _slot;
    private readonly PostDialDigits? _digits;
    private readonly TaskCompletionSource<DtmfSendMethod?> _digitsSent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public DialOutGateway(GatewayLaunch launch, PhoneRtpSession rtp, IDisposable slot, PostDialDigits? digits, ILogger logger, TimeProvider time)
        : base(launch.GatewayId, launch.ConferenceId, GatewayKind.PstnDialOut, rtp, launch.Observer, logger, time)
    {
        _slot = slot;
        _digits = digits;
        if (digits is null) _digitsSent.TrySetResult(null);
    }

    public SipOutgoingCall? Call => Sip as SipOutgoingCall;

    /// <summary>Completes once the post-dial keys went out, with how (null: there were none, or the call ended
    /// first); faults when the peer refused a SIP INFO key.</summary>
    public Task<DtmfSendMethod?> PostDialDigitsSent => _digitsSent.Task;

    public async Task StartAsync(SipBridgeRuntime runtime, IConferenceConnector connector, string number, CancellationToken ct)
    {
        var trunk = runtime.Options.Trunk;
        var proxy = IPEndPoint.Parse(trunk.OutboundProxy!);
        var remote = new SipRemote(string.Equals(trunk.Transport, "tcp", StringComparison.OrdinalIgnoreCase) ? SipTransportProtocol.Tcp : SipTransportProtocol.Udp, proxy);
        var target = SipUri.Sip(number, trunk.Domain ?? proxy.Address.ToString(), trunk.Domain is null ? proxy.Port : null);
        var offer = PhoneSdp.CreateOffer(Rtp.LocalEndPoint).ToString();
        var call = runtime.Agent.Call(target, remote, offer);
        AttachSip(call);
        Observer?.OnCallProgress(this, CallProgress.Dialing, number);
        int ringingReported = 0;
        call.Ringing += (_, r) =>
        {
            Volatile.Write(ref ringingReported, 1);
            Observer?.OnCallProgress(this, CallProgress.Ringing, r.StatusCode + " " + r.ReasonPhrase);
        };
        // The INVITE left inside Call(): a 180 that arrived before the handler above was attached is only in
        // RingingTask, and the host must still hear that the phone rang.
        if (call.RingingTask.IsCompletedSuccessfully && Interlocked.CompareExchange(ref ringingReported, 1, 0) == 0)
        {
            var ringing = call.RingingTask.Result;
            Observer?.OnCallProgress(this, CallProgress.Ringing, ringing.StatusCode + " " + ringing.ReasonPhrase);
        }
        _ = FollowAsync(call, connector, runtime.AudioHubs, number);
        // The gateway counts as started once the call is on its way; joining waits for the answer (a conference
        // should not show a silent phone participant while it rings).
        await Task.Yield();
        ct.ThrowIfCancellationRequested();
        SetState(GatewayRunState.Running, "Calling " + number + ".");
    }

    private async Task FollowAsync(SipOutgoingCall call, IConferenceConnector connector, RoomAudioHubs hubs, string number)
    {
        var first = await Task.WhenAny(call.AnsweredTask, call.Ended).ConfigureAwait(false);
        if (first != call.AnsweredTask)
        {
            var end = await call.Ended.ConfigureAwait(false);
            var progress = end.Outcome switch
            {
                SipCallOutcome.Busy => CallProgress.Busy,
                SipCallOutcome.NoAnswer => CallProgress.NoAnswer,
                SipCallOutcome.Cancelled => CallProgress.HungUp,
                _ => CallProgress.Failed,
            };
            Observer?.OnCallProgress(this, progress, end.StatusCode + " " + end.Reason);
            await FinishAsync(progress == CallProgress.HungUp ? GatewayRunState.Stopped : GatewayRunState.Failed, null,
                $"The call to {number} was not answered: {progress} ({end.StatusCode} {end.Reason}).").ConfigureAwait(false);
            return;
        }
        if (call.RemoteSdp is null || !SessionDescription.TryParse(call.RemoteSdp, out var answer, out _) || answer is null
            || !PhoneSdp.TryReadAnswer(answer, out var media, out _) || media is null)
        {
            Observer?.OnCallProgress(this, CallProgress.Failed, "no usable audio in the answer");
            await EndCallAsync(SipReason.Sip(488, "No usable audio in the answer"), GatewayRunState.Failed, null, "The phone answered without usable audio.").ConfigureAwait(false);
            return;
        }
        Rtp.Start(media);
        Observer?.OnCallProgress(this, CallProgress.Answered, number);
        if (_digits is not null) _ = SendPostDialDigitsAsync(call, _digits);
        try
        {
            await JoinConferenceAsync(connector, hubs, CallerMask.DisplayName(number), Lifetime).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConferenceException or OperationCanceledException)
        {
            await EndCallAsync(BridgeReasons.ConferenceGone("unavailable"), GatewayRunState.Failed, null, "The bridge could not join the conference: " + e.Message).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Sends the post-dial keys once answered, alongside the conference join: RFC 4733 events when the answer
    /// negotiated telephone-event (the session plays start, continuations and three end packets per key), else one
    /// SIP INFO per key (application/dtmf-relay), each awaited so the keys arrive in order.
    /// </summary>
    private async Task SendPostDialDigitsAsync(SipOutgoingCall call, PostDialDigits digits)
    {
        var method = Rtp.Parameters?.TelephoneEventPayloadType is null ? DtmfSendMethod.SipInfo : DtmfSendMethod.Rfc4733;
        try
        {
            foreach (var step in digits.Steps)
            {
                if (step.Keys.Length == 0)
                {
                    await Task.Delay(step.Pause, Time, Lifetime).ConfigureAwait(false);
                }
                else if (method == DtmfSendMethod.Rfc4733)
                {
                    Rtp.SendDigits(step.Keys, KeyTone);
                    await Rtp.WhenDigitsSent.WaitAsync(Lifetime).ConfigureAwait(false);
                }
                else
                {
                    await SendInfoKeysAsync(call, step.Keys).ConfigureAwait(false);
                }
            }
            Logger.LogInformation("Phone gateway {GatewayId}: sent {Count} post-dial keys by {Method}", GatewayId, digits.Keys.Length, method);
            _digitsSent.TrySetResult(method);
        }
        catch (OperationCanceledException)
        {
            _digitsSent.TrySetResult(null);
        }
        catch (InvalidOperationException e)
        {
            Logger.LogWarning("Phone gateway {GatewayId}: post-dial keys not sent: {Reason}", GatewayId, e.Message);
            _digitsSent.TrySetException(e);
        }
    }

    private async Task SendInfoKeysAsync(SipOutgoingCall call, string keys)
    {
        var body = new byte[32];
        foreach (char key in keys)
        {
            int length = SipInfoDtmf.WriteRelay(key, KeyTone, body);
            var answer = await call.SendInfoAsync(SipInfoDtmf.DtmfRelayContentType, body.AsMemory(0, length)).ConfigureAwait(false);
            Lifetime.ThrowIfCancellationRequested();
            if (answer is not { StatusCode: >= 200 and < 300 })
                throw new InvalidOperationException($"the phone answered the INFO for '{key}' with {(answer is null ? "nothing" : answer.StatusCode + " " + answer.ReasonPhrase)}");
            await Task.Delay(InfoGap, Time, Lifetime).ConfigureAwait(false);
        }
    }

    /// <summary>Hangs up before answer too: CANCEL while ringing, BYE once answered.</summary>
    public override async Task<GatewayOutcome> StopAsync(CancellationToken cancellationToken)
    {
        if (Call is { } c && c.Dialog?.State != Callbridge.Sip.Dialogs.SipDialogState.Confirmed && !c.IsEnded) c.Cancel(BridgeReasons.NormalClearing);
        return await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override void OnFinished() => _slot.Dispose();
}
