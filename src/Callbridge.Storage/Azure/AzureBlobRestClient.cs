using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.Extensions.Logging;

namespace Callbridge.Storage.Azure;

/// <summary>
/// A small client for the Azure Blob REST API, limited to what the gateways need: container create,
/// Put Block / Put Block List / Get Block List, Put Blob, Get Blob, List Blobs and Delete Blob. Every
/// request is retried with exponential backoff and jitter on outages and throttling.
/// </summary>
public sealed class AzureBlobRestClient
{
    /// <summary>The REST API version sent in x-ms-version; one that Azure and Azurite both accept.</summary>
    public const string ServiceVersion = "2021-08-06";

    private readonly HttpClient _http;
    private readonly Uri _containerUri;
    private readonly AzureBlobCredential _credential;
    private readonly BlobRetryOptions _retry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="serviceUri">The account's blob endpoint, e.g. https://acct.blob.core.windows.net or
    /// http://127.0.0.1:10000/devstoreaccount1 for Azurite.</param>
    public AzureBlobRestClient(HttpClient http, Uri serviceUri, string container, AzureBlobCredential credential,
        BlobRetryOptions? retry = null, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(serviceUri);
        ArgumentException.ThrowIfNullOrWhiteSpace(container);
        _http = http;
        _containerUri = new Uri(serviceUri.AbsoluteUri.TrimEnd('/') + "/" + Uri.EscapeDataString(container));
        _credential = credential ?? throw new ArgumentNullException(nameof(credential));
        _retry = retry ?? new BlobRetryOptions();
        _time = time ?? TimeProvider.System;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    public Uri ContainerUri => _containerUri;

    public async Task CreateContainerIfMissingAsync(CancellationToken ct)
    {
        using var response = await SendAsync(() => NewRequest(HttpMethod.Put, _containerUri, "restype=container"), ct, HttpStatusCode.Conflict).ConfigureAwait(false);
    }

    public async Task PutBlockAsync(string blobName, string blockId, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        byte[] md5 = MD5.HashData(data.Span);
        using var response = await SendAsync(() =>
        {
            var request = NewRequest(HttpMethod.Put, BlobUri(blobName), "comp=block&blockid=" + Uri.EscapeDataString(blockId));
            request.Content = new ReadOnlyMemoryContent(data);
            // The service checks each block against this digest and refuses a corrupted one.
            request.Content.Headers.ContentMD5 = md5;
            return request;
        }, ct).ConfigureAwait(false);
    }

    public async Task PutBlockListAsync(string blobName, IEnumerable<string> blockIds, string contentType, CancellationToken ct)
    {
        var xml = new XElement("BlockList", blockIds.Select(id => new XElement("Latest", id)));
        byte[] body = Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"utf-8\"?>" + xml.ToString(SaveOptions.DisableFormatting));
        using var response = await SendAsync(() =>
        {
            var request = NewRequest(HttpMethod.Put, BlobUri(blobName), "comp=blocklist");
            request.Headers.Add("x-ms-blob-content-type", contentType);
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/xml");
            return request;
        }, ct).ConfigureAwait(false);
    }

    /// <summary>The blob's uncommitted blocks (name, size); empty when the blob has none or does not exist.</summary>
    public async Task<IReadOnlyList<(string Id, long Size)>> GetUncommittedBlocksAsync(string blobName, CancellationToken ct)
    {
        using var response = await SendAsync(() => NewRequest(HttpMethod.Get, BlobUri(blobName), "comp=blocklist&blocklisttype=uncommitted"), ct, HttpStatusCode.NotFound).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return [];
        XDocument doc = await ReadXmlAsync(response, ct).ConfigureAwait(false);
        return doc.Root?.Element("UncommittedBlocks")?.Elements("Block")
            .Select(b => ((string?)b.Element("Name") ?? "", (long?)b.Element("Size") ?? 0))
            .ToList() ?? [];
    }

    public async Task PutBlobAsync(string blobName, ReadOnlyMemory<byte> content, string contentType, CancellationToken ct)
    {
        byte[] md5 = MD5.HashData(content.Span);
        using var response = await SendAsync(() =>
        {
            var request = NewRequest(HttpMethod.Put, BlobUri(blobName), null);
            request.Headers.Add("x-ms-blob-type", "BlockBlob");
            request.Content = new ReadOnlyMemoryContent(content);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            request.Content.Headers.ContentMD5 = md5;
            return request;
        }, ct).ConfigureAwait(false);
    }

    public async Task<byte[]?> GetBlobAsync(string blobName, CancellationToken ct)
    {
        using var response = await SendAsync(() => NewRequest(HttpMethod.Get, BlobUri(blobName), null), ct, HttpStatusCode.NotFound).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
    }

    public async Task<bool> DeleteBlobAsync(string blobName, CancellationToken ct)
    {
        using var response = await SendAsync(() => NewRequest(HttpMethod.Delete, BlobUri(blobName), null), ct, HttpStatusCode.NotFound).ConfigureAwait(false);
        return response.StatusCode != HttpStatusCode.NotFound;
    }

    public async IAsyncEnumerable<BlobItem> ListBlobsAsync(string prefix, [EnumeratorCancellation] CancellationToken ct)
    {
        string? marker = null;
        do
        {
            string query = "restype=container&comp=list&prefix=" + Uri.EscapeDataString(prefix)
                + (marker is null ? "" : "&marker=" + Uri.EscapeDataString(marker));
            using var response = await SendAsync(() => NewRequest(HttpMethod.Get, _containerUri, query), ct).ConfigureAwait(false);
            XDocument doc = await ReadXmlAsync(response, ct).ConfigureAwait(false);
            foreach (XElement blob in doc.Root?.Element("Blobs")?.Elements("Blob") ?? [])
            {
                XElement? props = blob.Element("Properties");
                yield return new BlobItem((string?)blob.Element("Name") ?? "",
                    (long?)props?.Element("Content-Length") ?? 0, (string?)props?.Element("Content-Type"));
            }
            marker = (string?)doc.Root?.Element("NextMarker");
        }
        while (!string.IsNullOrEmpty(marker));
    }

    private Uri BlobUri(string blobName)
    {
        BlobNames.Validate(blobName);
        string path = string.Join('/', blobName.Split('/').Select(Uri.EscapeDataString));
        return new Uri(_containerUri.AbsoluteUri + "/" + path);
    }

    private HttpRequestMessage NewRequest(HttpMethod method, Uri uri, string? query)
    {
        var builder = new UriBuilder(uri) { Query = query ?? "" };
        var request = new HttpRequestMessage(method, _credential.Decorate(builder.Uri));
        request.Headers.Add("x-ms-version", ServiceVersion);
        return request;
    }

    private static async Task<XDocument> ReadXmlAsync(HttpResponseMessage response, CancellationToken ct)
    {
        string text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        try
        {
            return XDocument.Parse(text);
        }
        catch (System.Xml.XmlException e)
        {
            throw new BlobStorageException("The blob service answered with XML that does not parse.", isTransient: false, (int)response.StatusCode, inner: e);
        }
    }

    /// <summary>
    /// Sends a freshly built request (a request cannot be sent twice), retrying transient failures until
    /// <see cref="BlobRetryOptions.MaxElapsed"/>. Success is any 2xx or one of <paramref name="alsoAccept"/>.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(Func<HttpRequestMessage> build, CancellationToken ct, params HttpStatusCode[] alsoAccept)
    {
        long started = _time.GetTimestamp();
        TimeSpan delay = _retry.InitialDelay;
        for (int attempt = 1; ; attempt++)
        {
            BlobStorageException failure;
            using (HttpRequestMessage request = build())
            {
                request.Headers.Add("x-ms-date", _time.GetUtcNow().ToString("R", CultureInfo.InvariantCulture));
                _credential.Authorize(request);
                try
                {
                    using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    timeout.CancelAfter(_retry.AttemptTimeout);
                    HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode || alsoAccept.Contains(response.StatusCode)) return response;
                    failure = await ToExceptionAsync(request, response, ct).ConfigureAwait(false);
                    response.Dispose();
                }
                catch (HttpRequestException e)
                {
                    failure = new BlobStorageException($"{request.Method} {Redact(request.RequestUri)}: the blob service could not be reached ({e.Message}).", isTransient: true, inner: e);
                }
                catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
                {
                    failure = new BlobStorageException($"{request.Method} {Redact(request.RequestUri)}: no answer within {_retry.AttemptTimeout.TotalSeconds:0.#} s.", isTransient: true, inner: e);
                }
            }

            TimeSpan elapsed = _time.GetElapsedTime(started);
            if (!failure.IsTransient || elapsed + delay > _retry.MaxElapsed) throw failure;
            _logger.LogWarning("Blob request failed (attempt {Attempt}, retrying in {Delay} ms): {Reason}", attempt, (int)delay.TotalMilliseconds, failure.Message);
            await Task.Delay(Jitter(delay), _time, ct).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _retry.MaxDelay.Ticks));
        }
    }

    // Up to 20 % less than the nominal delay, so clients that failed together do not retry together.
    private static TimeSpan Jitter(TimeSpan delay) => delay - TimeSpan.FromTicks((long)(delay.Ticks * 0.2 * Random.Shared.NextDouble()));

    private static async Task<BlobStorageException> ToExceptionAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken ct)
    {
        int status = (int)response.StatusCode;
        string? code = response.Headers.TryGetValues("x-ms-error-code", out var values) ? values.FirstOrDefault() : null;
        string body = "";
        try
        {
            body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        }
        catch (HttpRequestException)
        {
        }
        // 408, 429 and 5xx are the service saying "not now"; everything else will not change by waiting.
        bool transient = status is 408 or 429 || status >= 500;
        string detail = code ?? (body.Length > 200 ? body[..200] : body);
        return new BlobStorageException($"{request.Method} {Redact(request.RequestUri)} failed: {status} {response.ReasonPhrase} ({detail}).", transient, status, code);
    }

    // A SAS token in a URI is a credential: never put it in a message or a log.
    private static string Redact(Uri? uri) => uri is null ? "" : uri.GetLeftPart(UriPartial.Path);
}

/// <summary>How long and how often blob requests are retried.</summary>
public sealed class BlobRetryOptions
{
    /// <summary>First wait after a failure; doubles after each further failure.</summary>
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest single wait: an outage is noticed to be over within this time.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Give up after this long: long enough to ride out a storage fail-over or a restart.</summary>
    public TimeSpan MaxElapsed { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Per-attempt timeout: a 4 MiB block on a slow link still fits.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
