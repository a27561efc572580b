using System.Globalization;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Message;
using Callbridge.Sip.Transactions;

namespace Callbridge.Sip.Dialogs;

/// <summary>A dialog (RFC 3261 §12): id (Call-ID, local tag, remote tag), sequence numbers, local and remote
/// URI, remote target and route set. Only loose routing (lr) is produced; a strict-routing first hop is
/// handled as §12.2.1.1 prescribes.</summary>
public sealed class SipDialog
{
    private SipDialog() { }

    public string CallId { get; private init; } = string.Empty;
    public string LocalTag { get; private init; } = string.Empty;
    public string? RemoteTag { get; private set; }
    public uint LocalSeq { get; private set; }
    /// <summary>Remote CSeq; null until the remote side sends a request (§12.1.2: "empty").</summary>
    public uint? RemoteSeq { get; private set; }
    public SipNameAddress LocalParty { get; private init; } = null!;
    public SipNameAddress RemoteParty { get; private init; } = null!;
    public SipUri RemoteTarget { get; private set; } = null!;
    public IReadOnlyList<SipNameAddress> RouteSet { get; private set; } = [];
    public SipDialogState State { get; private set; }
    public bool IsUac { get; private init; }

    /// <summary>UAC side (§12.1.2): from the request sent and a 1xx-with-To-tag or 2xx received. The route set is
    /// the response's Record-Route in reverse; the remote target its Contact.</summary>
    public static SipDialog? CreateAsUac(SipMessage request, SipMessage response)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        var to = response.To;
        if (to?.Tag is null || response.StatusCode < 101 || response.StatusCode >= 300) return null;
        var contact = response.Contacts.FirstOrDefault();
        var rr = response.RecordRoutes;
        rr.Reverse();
        return new SipDialog
        {
            CallId = request.CallId!,
            LocalTag = request.From!.Tag!,
            RemoteTag = to.Tag,
            LocalSeq = request.CSeq!.Value.Number,
            LocalParty = request.From!,
            RemoteParty = to,
            RemoteTarget = contact?.Uri ?? SipUri.Parse(request.RequestUri),
            RouteSet = rr,
            State = response.StatusCode < 200 ? SipDialogState.Early : SipDialogState.Confirmed,
            IsUac = true,
        };
    }

    /// <summary>UAS side (§12.1.1): from the request received and the tag put in the response. The route set
    /// is the request's Record-Route in order; the remote target its Contact.</summary>
    public static SipDialog CreateAsUas(SipMessage request, string localTag, bool early)
    {
        ArgumentNullException.ThrowIfNull(request);
        var to = request.To!;
        to.Tag = localTag;
        return new SipDialog
        {
            CallId = request.CallId!,
            LocalTag = localTag,
            RemoteTag = request.From!.Tag,
            RemoteSeq = request.CSeq!.Value.Number,
            LocalSeq = 0,
            LocalParty = to,
            RemoteParty = request.From!,
            RemoteTarget = request.Contacts.FirstOrDefault()?.Uri ?? SipUri.Parse(request.RequestUri),
            RouteSet = request.RecordRoutes,
            State = early ? SipDialogState.Early : SipDialogState.Confirmed,
            IsUac = false,
        };
    }

    /// <summary>An early dialog becomes confirmed on the 2xx; route set and target are recomputed (§12.1.2, §13.2.2.4).</summary>
    public void Confirm(SipMessage? response = null)
    {
        if (response is not null && IsUac)
        {
            var rr = response.RecordRoutes;
            rr.Reverse();
            RouteSet = rr;
            UpdateRemoteTarget(response);
        }
        if (State == SipDialogState.Early) State = SipDialogState.Confirmed;
    }

    public void Terminate() => State = SipDialogState.Terminated;

    /// <summary>Target refresh (§12.2.1.2, §12.2.2): a re-INVITE or its 2xx with Contact replaces the target.</summary>
    public void UpdateRemoteTarget(SipMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var c = message.Contacts.FirstOrDefault();
        if (c is not null) RemoteTarget = c.Uri;
    }

    /// <summary>Does the message belong to this dialog (Call-ID and both tags, §12).</summary>
    public bool Matches(SipMessage m)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (m.CallId != CallId) return false;
        var (local, remote) = m.IsRequest ? (m.To?.Tag, m.From?.Tag) : (m.From?.Tag, m.To?.Tag);
        return local == LocalTag && (RemoteTag is null || remote == RemoteTag);
    }

    /// <summary>Checks an in-dialog request's CSeq (§12.2.2): lower than the remote sequence gets 500. ACK and
    /// CANCEL reuse the INVITE's number and are not checked.</summary>
    public bool AcceptRemoteSequence(SipMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method is "ACK" or "CANCEL") return true;
        uint n = request.CSeq!.Value.Number;
        if (RemoteSeq is uint r && n <= r) return false;
        RemoteSeq = n;
        return true;
    }

    /// <summary>Builds an in-dialog request (§12.2.1.1): Request-URI = remote target (or the first route when it is
    /// a strict router), Route = route set, To/From with tags, Call-ID, CSeq incremented (ACK takes cseqForAck).</summary>
    public SipMessage CreateRequest(string method, SipVia via, SipUri contact, uint? cseqForAck = null)
    {
        ArgumentNullException.ThrowIfNull(via);
        ArgumentNullException.ThrowIfNull(contact);
        uint cseq = cseqForAck ?? ++LocalSeq;
        var routes = RouteSet.ToList();
        SipUri ruri;
        if (routes.Count > 0 && !routes[0].Uri.Parameters.Has("lr"))
        {
            ruri = routes[0].Uri.Clone();
            routes.RemoveAt(0);
            routes.Add(new SipNameAddress(RemoteTarget.Clone()));
        }
        else ruri = RemoteTarget.Clone();
        var req = SipMessage.CreateRequest(method, ruri.ToString());
        req.Add("Via", via.ToString());
        req.Add("Max-Forwards", "70");
        var from = LocalParty.Clone();
        from.Tag = LocalTag;
        req.Add("From", from.ToString());
        var to = RemoteParty.Clone();
        to.Tag = RemoteTag;
        req.Add("To", to.ToString());
        req.Add("Call-ID", CallId);
        req.Add("CSeq", cseq.ToString(CultureInfo.InvariantCulture) + " " + method);
        foreach (var r in routes) req.Add("Route", r.ToString());
        if (method is "INVITE" or "UPDATE" or "SUBSCRIBE" or "NOTIFY" or "REFER") req.Add("Contact", new SipNameAddress(contact).ToString());
        req.SetBody(ReadOnlyMemory<byte>.Empty, null);
        return req;
    }

    /// <summary>The next hop for an in-dialog request: the first Route if any, else the Request-URI.</summary>
    public SipUri NextHop => RouteSet.Count > 0 ? RouteSet[0].Uri : RemoteTarget;

    internal static SipVia NewVia(Transport.SipRemote remote, System.Net.IPEndPoint local) => new()
    {
        Transport = remote.ViaTransport,
        Host = local.Address.ToString(),
        Port = local.Port,
        Branch = SipMessageFactory.NewBranch(),
    };
}
