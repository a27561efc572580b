using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Azurite;
using Xunit.Abstractions;

namespace Callbridge.Stack.Tests.Stack;

/// <summary>Azurite answers Shared Key-signed Blob requests with the well-known development account.</summary>
public sealed class AzuriteSmokeTests(AzuriteFixture azurite, ITestOutputHelper output) : IClassFixture<AzuriteFixture>
{
    private const string ServiceVersion = "2021-12-02";

    [Fact]
    public Task Container_and_blob_round_trip_with_shared_key_auth() => FailureLogs.RunAsync(output, async () =>
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        var container = "smoke" + Guid.NewGuid().ToString("N")[..8];
        var payload = Encoding.UTF8.GetBytes("callbridge azurite smoke");

        using var create = await SendAsync(http, HttpMethod.Put, $"/{container}", "restype=container", null);
        using var put = await SendAsync(http, HttpMethod.Put, $"/{container}/hello.txt", null, payload, ("x-ms-blob-type", "BlockBlob"));
        using var get = await SendAsync(http, HttpMethod.Get, $"/{container}/hello.txt", null, null);
        using var unsigned = await http.GetAsync(new Uri($"{azurite.BlobEndpoint}/{container}/hello.txt"));

        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        Assert.Equal(HttpStatusCode.Created, put.StatusCode);
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.Equal(payload, await get.Content.ReadAsByteArrayAsync());
        // Containers are private by default: the same GET without a signature is refused.
        Assert.NotEqual(HttpStatusCode.OK, unsigned.StatusCode);
        Assert.True(Directory.EnumerateFileSystemEntries(azurite.DataFolder).Any(), "Azurite wrote nothing to its data folder");
    }, azurite);

    /// <summary>Shared Key (https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key), enough for a smoke test.</summary>
    private async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? query, byte[]? body, params (string Name, string Value)[] headers)
    {
        var uri = new Uri($"{azurite.BlobEndpoint}{path}{(query is null ? string.Empty : "?" + query)}");
        using var request = new HttpRequestMessage(method, uri);
        var date = DateTime.UtcNow.ToString("R", CultureInfo.InvariantCulture);
        var msHeaders = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["x-ms-date"] = date, ["x-ms-version"] = ServiceVersion };
        foreach (var (name, value) in headers)
        {
            msHeaders[name] = value;
        }

        foreach (var (name, value) in msHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var length = body is { Length: > 0 } ? body.Length.ToString(CultureInfo.InvariantCulture) : string.Empty;
        var contentType = string.Empty;
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            contentType = "application/octet-stream";
        }

        // Path-style URL: the canonical resource repeats the account name.
        var canonicalResource = new StringBuilder($"/{AzuriteFixture.AccountName}{uri.AbsolutePath}");
        if (query is not null)
        {
            foreach (var pair in query.Split('&').Select(p => p.Split('=')).OrderBy(p => p[0], StringComparer.Ordinal))
            {
                canonicalResource.Append('\n').Append(pair[0]).Append(':').Append(pair[1]);
            }
        }

        var stringToSign = string.Join('\n', method.Method, string.Empty, string.Empty, length, string.Empty, contentType, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty, string.Empty)
            + "\n" + string.Concat(msHeaders.Select(h => $"{h.Key}:{h.Value}\n")) + canonicalResource;
        using var hmac = new HMACSHA256(Convert.FromBase64String(AzuriteFixture.AccountKey));
        var signature = Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(stringToSign)));
        request.Headers.TryAddWithoutValidation("Authorization", $"SharedKey {AzuriteFixture.AccountName}:{signature}");
        return await http.SendAsync(request);
    }
}
