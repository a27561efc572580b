using Callbridge.Sip.Headers;

namespace Callbridge.Sip.Message;

/// <summary>UAS checks on a parsed request, in the order of RFC 3261 §8.2: mandatory headers (§8.1.1),
/// URI scheme (§8.2.2.1 -> 416), Require (§8.2.2.3 -> 420), Content-Type/Encoding (§8.2.3 -> 415),
/// Accept for a body-bearing answer (RFC 3261 §21.4.7 -> 406), Authorization scheme (§22 -> 401 on the caller).</summary>
public static class SipRequestCheck
{
    private static readonly SipHeaderKind[] SingleValue =
        [SipHeaderKind.From, SipHeaderKind.To, SipHeaderKind.CallId, SipHeaderKind.CSeq, SipHeaderKind.MaxForwards, SipHeaderKind.ContentType];

    public static SipRejection Check(SipMessage request, IReadOnlyCollection<string> supportedExtensions,
        IReadOnlyCollection<string> acceptedContentTypes)
    {
        ArgumentNullException.ThrowIfNull(request);
        // §8.1.1: To, From, CSeq, Call-ID, Max-Forwards and Via are mandatory (Max-Forwards is absent in
        // RFC 2543 requests, which a UAS still accepts, RFC 4475 §3.4.1).
        if (request.From is null || request.To is null || request.CallId is null || request.CSeq is null || request.TopVia is null)
            return new(400, "Missing Mandatory Header");
        foreach (var kind in SingleValue)
            if (request.FindAll(kind).Skip(1).Any()) return new(400, "Multiple Values In Single-Value Header");
        if (!SipUri.TryParse(request.RequestUri, out var ruri) || !(ruri.IsSip || ruri.Scheme == "tel"))
            return new(416, "Unsupported URI Scheme");
        if (request.Method != "ACK" && request.Method != "CANCEL")
        {
            var unsupported = request.Tokens(SipHeaderKind.Require)
                .Where(t => !supportedExtensions.Contains(t, StringComparer.OrdinalIgnoreCase)).ToList();
            if (unsupported.Count > 0) return new(420, "Bad Extension", string.Join(", ", unsupported));
        }
        if (!request.Body.IsEmpty || request.ContentType is not null)
        {
            var ct = request.ContentType?.Split(';')[0].Trim();
            if (ct is not null && !acceptedContentTypes.Contains(ct, StringComparer.OrdinalIgnoreCase))
                return new(415, "Unsupported Media Type");
        }
        var accept = request.Find(SipHeaderKind.Accept);
        if (accept is not null && request.Method is "INVITE" or "OPTIONS")
        {
            var types = accept.UnfoldedValue.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(t => t.Split(';')[0].Trim()).ToList();
            if (types.Count > 0 && !types.Any(t => t == "*/*" || acceptedContentTypes.Contains(t, StringComparer.OrdinalIgnoreCase)))
                return new(406, "Not Acceptable");
        }
        var auth = request.Find(SipHeaderKind.Authorization);
        if (auth is not null && !auth.Value.TrimStart().StartsWith("Digest", StringComparison.OrdinalIgnoreCase))
            return new(401, "Unauthorized");
        return default;
    }
}
