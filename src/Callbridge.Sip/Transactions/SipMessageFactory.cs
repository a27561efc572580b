using System.Globalization;
using System.Security.Cryptography;
using Callbridge.Sip.Headers;
using Callbridge.Sip.Message;

namespace Callbridge.Sip.Transactions;

/// <summary>Builds the messages whose content RFC 3261 prescribes: responses (§8.2.6), the ACK for a non-2xx
/// final response (§17.1.1.3), CANCEL (§9.1), and fresh tags, branches and Call-IDs.</summary>
public static class SipMessageFactory
{
    /// <summary>A branch that starts with the magic cookie and is unique in space and time (§8.1.1.7).</summary>
    public static string NewBranch() => SipVia.MagicCookie + RandomToken(12);

    /// <summary>A tag with at least 32 bits of randomness (§19.3).</summary>
    public static string NewTag() => RandomToken(8);

    public static string NewCallId(string host) => RandomToken(16) + "@" + host;

    private static string RandomToken(int bytes)
    {
        Span<byte> b = stackalloc byte[bytes];
        RandomNumberGenerator.Fill(b);
        return Convert.ToHexStringLower(b);
    }

    /// <summary>§8.2.6.2: Via, From, To, Call-ID, CSeq copied; To gets a tag unless 100 or already tagged;
    /// Record-Route copied for dialog-creating 1xx/2xx (§12.1.1).</summary>
    public static SipMessage CreateResponse(SipMessage request, int status, string reason, string? toTag = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var r = SipMessage.CreateResponse(status, reason);
        foreach (var h in request.Headers)
        {
            switch (h.Kind)
            {
                case SipHeaderKind.Via:
                case SipHeaderKind.From:
                case SipHeaderKind.CallId:
                case SipHeaderKind.CSeq:
                    r.Headers.Add(h);
                    break;
                case SipHeaderKind.RecordRoute when status > 100 && status < 300:
                    r.Headers.Add(h);
                    break;
                case SipHeaderKind.To:
                    var to = request.To!;
                    if (to.Tag is null && status != 100 && toTag is not null)
                    {
                        to.Tag = toTag;
                        r.Add("To", to.ToString());
                    }
                    else r.Headers.Add(h);
                    break;
            }
        }
        r.SetBody(ReadOnlyMemory<byte>.Empty, null);
        return r;
    }

    /// <summary>ACK for a 300-699 answer to an INVITE (§17.1.1.3): same Request-URI, Call-ID, From, top Via
    /// and Route as the INVITE, To from the response, CSeq number with method ACK.</summary>
    public static SipMessage CreateAckForFailure(SipMessage invite, SipMessage response)
    {
        ArgumentNullException.ThrowIfNull(invite);
        ArgumentNullException.ThrowIfNull(response);
        var ack = SipMessage.CreateRequest("ACK", invite.RequestUri);
        ack.Headers.Add(invite.Find(SipHeaderKind.Via)!);
        ack.Add("Max-Forwards", "70");
        ack.Headers.Add(invite.Find(SipHeaderKind.From)!);
        ack.Headers.Add(response.Find(SipHeaderKind.To)!);
        ack.Headers.Add(invite.Find(SipHeaderKind.CallId)!);
        ack.Add("CSeq", invite.CSeq!.Value.Number.ToString(CultureInfo.InvariantCulture) + " ACK");
        foreach (var r in invite.FindAll(SipHeaderKind.Route)) ack.Headers.Add(r);
        ack.SetBody(ReadOnlyMemory<byte>.Empty, null);
        return ack;
    }

    /// <summary>CANCEL (§9.1): Request-URI, Call-ID, To, From, CSeq number and the single top Via of the
    /// request; Route copied; optional Reason (RFC 3326).</summary>
    public static SipMessage CreateCancel(SipMessage invite, SipReason? reason = null)
    {
        ArgumentNullException.ThrowIfNull(invite);
        var c = SipMessage.CreateRequest("CANCEL", invite.RequestUri);
        c.Headers.Add(invite.Find(SipHeaderKind.Via)!);
        c.Add("Max-Forwards", "70");
        c.Headers.Add(invite.Find(SipHeaderKind.From)!);
        c.Headers.Add(invite.Find(SipHeaderKind.To)!);
        c.Headers.Add(invite.Find(SipHeaderKind.CallId)!);
        c.Add("CSeq", invite.CSeq!.Value.Number.ToString(CultureInfo.InvariantCulture) + " CANCEL");
        foreach (var r in invite.FindAll(SipHeaderKind.Route)) c.Headers.Add(r);
        if (reason is not null) c.Add("Reason", reason.ToString());
        c.SetBody(ReadOnlyMemory<byte>.Empty, null);
        return c;
    }
}
