using System.Net.Http.Headers;
using Callbridge.Storage.Azure;

namespace Callbridge.Storage.Tests;

public sealed class SharedKeyCredentialTests
{
    private static readonly SharedKeyCredential Credential = new("devstoreaccount1", Convert.ToBase64String(new byte[32]));

    [Fact]
    public void String_to_sign_orders_headers_and_query_canonically()
    {
        var request = new HttpRequestMessage(HttpMethod.Put,
            "http://127.0.0.1:10000/devstoreaccount1/rec/a%20b.ogg?comp=block&blockid=YmxrLTAwMDAwMDAx");
        request.Headers.Add("x-ms-version", "2021-08-06");
        request.Headers.Add("x-ms-date", "Sun, 22 Nov 2026 06:00:00 GMT");
        request.Content = new ByteArrayContent(new byte[5]);
        request.Content.Headers.ContentMD5 = new byte[16];
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("audio/ogg");

        string expected =
            "PUT\n\n\n5\nAAAAAAAAAAAAAAAAAAAAAA==\naudio/ogg\n\n\n\n\n\n\n" +
            "x-ms-date:Sun, 22 Nov 2026 06:00:00 GMT\nx-ms-version:2021-08-06\n" +
            "/devstoreaccount1/devstoreaccount1/rec/a%20b.ogg\nblockid:YmxrLTAwMDAwMDAx\ncomp:block";
        Assert.Equal(expected, Credential.BuildStringToSign(request));
    }

    [Fact]
    public void Zero_length_is_signed_as_empty()
    {
        var request = new HttpRequestMessage(HttpMethod.Put, "http://h/devstoreaccount1/c?restype=container");
        request.Content = new ByteArrayContent([]);
        Assert.StartsWith("PUT\n\n\n\n", Credential.BuildStringToSign(request), StringComparison.Ordinal);
    }

    [Fact]
    public void Block_ids_round_trip_and_have_equal_length()
    {
        Assert.Equal(AzureBlobSink.BlockId(0).Length, AzureBlobSink.BlockId(99_999_999).Length);
        Assert.True(AzureBlobSink.TryParseBlockId(AzureBlobSink.BlockId(1234), out int index));
        Assert.Equal(1234, index);
        Assert.False(AzureBlobSink.TryParseBlockId("not-base64!", out _));
        Assert.False(AzureBlobSink.TryParseBlockId(Convert.ToBase64String("xyz-00000001"u8), out _));
    }

    [Fact]
    public void Bad_account_key_is_a_clear_argument_error()
    {
        var error = Assert.Throws<ArgumentException>(() => new SharedKeyCredential("a", "***"));
        Assert.Contains("base64", error.Message, StringComparison.Ordinal);
    }
}
