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
    private readonly IDisposable _slot;

    public DialOutGateway(GatewayLaunch launch, PhoneRtpSession rtp, IDisposable slot, ILogger logger, TimeProvider time)
        : base(launch.GatewayId, launch.ConferenceId, GatewayKind.PstnDialOut, rtp, launch.Observer, logger, time)
    {
        _slot = slot;
    }

    public SipOutgoingCall? Call => Sip as SipOutgoingCall;

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
        call.Ringing += (_, r) => Observer?.OnCallProgress(this, CallProgress.Ringing, r.StatusCode + " " + r.ReasonPhrase);
        _ = FollowAsync(call, connector, number);
        // The gateway counts as started once the call is on its way; joining waits for the answer (a conference
        // should not show a silent phone participant while it rings).
        await Task.Yield();
        ct.ThrowIfCancellationRequested();
        SetState(GatewayRunState.Running, "Calling " + number + ".");
    }

    private async Task FollowAsync(SipOutgoingCall call, IConferenceConnector connector, string number)
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
        try
        {
            await JoinConferenceAsync(connector, CallerMask.DisplayName(number), Lifetime).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ConferenceException or OperationCanceledException)
        {
            await EndCallAsync(BridgeReasons.ConferenceGone("unavailable"), GatewayRunState.Failed, null, "The bridge could not join the conference: " + e.Message).ConfigureAwait(false);
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
