using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;

namespace Callbridge.Notices.Webhooks;

/// <summary>
/// The webhook signature. Header <c>Callbridge-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex&gt;</c> where
/// hex = lowercase hex of HMAC-SHA256(secret, ASCII(t) || "." || raw body bytes).
/// <para>Verification recipe for receivers (any language):</para>
/// <list type="number">
/// <item>Read the raw request body bytes before any JSON parsing (re-serializing changes bytes).</item>
/// <item>Split the header on ','; take <c>t</c> and every <c>v1</c> value (several v1 values appear while a secret is rotated).</item>
/// <item>Reject if |now - t| &gt; 5 minutes (replay window).</item>
/// <item>Compute HMAC-SHA256 with the shared secret over the bytes of t, a '.', and the body; hex-encode lowercase.</item>
/// <item>Compare with each v1 in constant time; accept if one matches.</item>
/// <item>Deduplicate on <c>Callbridge-Notice-Id</c>: a retried delivery carries the same id.</item>
/// </list>
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "Callbridge-Signature";

    /// <summary>5 minutes: room for clock skew and retries in flight, short enough to make a replayed
    /// capture useless soon.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    public static string Sign(ReadOnlySpan<byte> secret, long unixSeconds, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Compute(secret, unixSeconds, body, mac);
        return "t=" + unixSeconds.ToString(CultureInfo.InvariantCulture) + ",v1=" + Convert.ToHexStringLower(mac);
    }

    public static WebhookSignatureCheck Verify(ReadOnlySpan<byte> secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(header))
        {
            return WebhookSignatureCheck.Missing;
        }

        long? timestamp = null;
        bool anyMac = false;
        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Span<byte> given = stackalloc byte[HMACSHA256.HashSizeInBytes];
        bool computed = false;
        bool match = false;
        foreach (Range part in header.AsSpan().Split(','))
        {
            ReadOnlySpan<char> item = header.AsSpan()[part].Trim();
            if (item.StartsWith("t=", StringComparison.Ordinal))
            {
                if (!long.TryParse(item[2..], NumberStyles.None, CultureInfo.InvariantCulture, out long t))
                {
                    return WebhookSignatureCheck.Malformed;
                }

                timestamp = t;
            }
        }

        if (timestamp is not { } ts)
        {
            return WebhookSignatureCheck.Malformed;
        }

        foreach (Range part in header.AsSpan().Split(','))
        {
            ReadOnlySpan<char> item = header.AsSpan()[part].Trim();
            if (!item.StartsWith("v1=", StringComparison.Ordinal))
            {
                continue;
            }

            anyMac = true;
            if (Convert.FromHexString(item[3..], given, out int _, out int written) != OperationStatus.Done || written != given.Length)
            {
                continue;
            }

            if (!computed)
            {
                Compute(secret, ts, body, expected);
                computed = true;
            }

            match |= CryptographicOperations.FixedTimeEquals(expected, given);
        }

        if (!anyMac)
        {
            return WebhookSignatureCheck.Malformed;
        }

        if ((now - DateTimeOffset.FromUnixTimeSeconds(ts)).Duration() > tolerance)
        {
            return WebhookSignatureCheck.TimestampOutOfTolerance;
        }

        return match ? WebhookSignatureCheck.Valid : WebhookSignatureCheck.Mismatch;
    }

    private static void Compute(ReadOnlySpan<byte> secret, long unixSeconds, ReadOnlySpan<byte> body, Span<byte> mac)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        Span<byte> prefix = stackalloc byte[21];
        Utf8Formatter.TryFormat(unixSeconds, prefix, out int n);
        prefix[n++] = (byte)'.';
        hmac.AppendData(prefix[..n]);
        hmac.AppendData(body);
        hmac.GetHashAndReset(mac);
    }
}
