using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Callbridge.Storage.Azure;

/// <summary>How requests to Azure Blob are authorized: a Shared Key signature or a SAS token.</summary>
public abstract class AzureBlobCredential
{
    /// <summary>Adds whatever authorizes <paramref name="request"/>; called once per attempt, after all other headers.</summary>
    internal abstract void Authorize(HttpRequestMessage request);

    /// <summary>Lets a SAS credential add its token to the query; the default leaves the URI alone.</summary>
    internal virtual Uri Decorate(Uri uri) => uri;
}

/// <summary>
/// Shared Key authorization ("Authorize with Shared Key", service version 2015-02-21 and later): an
/// HMAC-SHA256, keyed with the account key, over a canonical form of the request.
/// </summary>
public sealed class SharedKeyCredential : AzureBlobCredential
{
    private readonly byte[] _key;

    public SharedKeyCredential(string accountName, string base64AccountKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentException.ThrowIfNullOrWhiteSpace(base64AccountKey);
        AccountName = accountName;
        try
        {
            _key = Convert.FromBase64String(base64AccountKey);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The account key is not valid base64.", nameof(base64AccountKey), e);
        }
    }

    public string AccountName { get; }

    internal override void Authorize(HttpRequestMessage request)
    {
        string signature = Sign(BuildStringToSign(request));
        request.Headers.Authorization = new AuthenticationHeaderValue("SharedKey", AccountName + ":" + signature);
    }

    internal string Sign(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>The canonical string the signature covers (the order of the fields is the service's).</summary>
    internal string BuildStringToSign(HttpRequestMessage request)
    {
        HttpContentHeaders? content = request.Content?.Headers;
        long? length = content?.ContentLength;
        var sb = new StringBuilder(256);
        sb.Append(request.Method.Method).Append('\n');
        sb.Append(content is null ? "" : string.Join(",", content.ContentEncoding)).Append('\n');
        sb.Append(content is null ? "" : string.Join(",", content.ContentLanguage)).Append('\n');
        // Since 2015-02-21 a zero length is signed as an empty string.
        sb.Append(length is null or 0 ? "" : length.Value.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append(content?.ContentMD5 is { } md5 ? Convert.ToBase64String(md5) : "").Append('\n');
        sb.Append(content?.ContentType?.ToString() ?? "").Append('\n');
        sb.Append('\n'); // Date: x-ms-date is used instead.
        sb.Append(HeaderOrEmpty(request, "If-Modified-Since")).Append('\n');
        sb.Append(HeaderOrEmpty(request, "If-Match")).Append('\n');
        sb.Append(HeaderOrEmpty(request, "If-None-Match")).Append('\n');
        sb.Append(HeaderOrEmpty(request, "If-Unmodified-Since")).Append('\n');
        sb.Append(HeaderOrEmpty(request, "Range")).Append('\n');

        var msHeaders = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var header in request.Headers)
        {
            if (header.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                msHeaders[header.Key.ToLowerInvariant()] = string.Join(",", header.Value).Trim();
        }
        if (request.Content is not null)
        {
            foreach (var header in request.Content.Headers)
            {
                if (header.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
                    msHeaders[header.Key.ToLowerInvariant()] = string.Join(",", header.Value).Trim();
            }
        }
        foreach (var (name, value) in msHeaders) sb.Append(name).Append(':').Append(value).Append('\n');

        Uri uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        sb.Append('/').Append(AccountName).Append(uri.AbsolutePath);
        var query = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            string name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]).ToLowerInvariant();
            string value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (!query.TryGetValue(name, out var values)) query[name] = values = [];
            values.Add(value);
        }
        foreach (var (name, values) in query)
        {
            values.Sort(StringComparer.Ordinal);
            sb.Append('\n').Append(name).Append(':').Append(string.Join(",", values));
        }
        return sb.ToString();
    }

    private static string HeaderOrEmpty(HttpRequestMessage request, string name) =>
        request.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    /// <summary>
    /// Makes an account SAS token (service version 2020-12-06 string-to-sign) for the blob service, e.g.
    /// to hand a job a credential that expires and cannot reach other services.
    /// </summary>
    /// <param name="permissions">Signed permissions in the service's order, e.g. "rwdlc".</param>
    /// <param name="resourceTypes">"s" service, "c" container, "o" object, e.g. "co".</param>
    public string CreateAccountSas(string permissions, string resourceTypes, DateTimeOffset expiresOn, string version = "2020-12-06")
    {
        string expiry = expiresOn.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        string stringToSign = string.Join('\n', AccountName, permissions, "b", resourceTypes, "", expiry, "", "", version, "") + "\n";
        string sig = Sign(stringToSign);
        return $"sv={version}&ss=b&srt={resourceTypes}&sp={permissions}&se={Uri.EscapeDataString(expiry)}&sig={Uri.EscapeDataString(sig)}";
    }
}

/// <summary>A shared access signature token (the query string, with or without a leading '?').</summary>
public sealed class SasCredential : AzureBlobCredential
{
    private readonly string _token;

    public SasCredential(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _token = token.TrimStart('?');
    }

    internal override void Authorize(HttpRequestMessage request)
    {
        // The token in the query is the authorization.
    }

    internal override Uri Decorate(Uri uri)
    {
        var builder = new UriBuilder(uri);
        builder.Query = string.IsNullOrEmpty(builder.Query) ? _token : builder.Query.TrimStart('?') + "&" + _token;
        return builder.Uri;
    }
}
