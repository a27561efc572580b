using Callbridge.Sip.Auth;

namespace Callbridge.Sip.Tests;

public class DigestTests
{
    [Fact]
    public void Rfc2617Section35KnownAnswer()
    {
        // RFC 2617 §3.5: Mufasa / "Circle Of Life", qop=auth.
        var r = SipDigest.ComputeResponse("MD5", "Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html",
            "dcd98b7102dd2f0e8b11d0f600bfb0c093", "auth", "00000001", "0a4f113b");
        Assert.Equal("6629fae49393a05397450978507c4ef1", r);
    }

    [Theory]
    // RFC 7616 §3.9.1: the same request answered with MD5 and with SHA-256 (the algorithm RFC 8760 adds to SIP).
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Rfc7616Section391KnownAnswers(string algorithm, string expected)
    {
        var r = SipDigest.ComputeResponse(algorithm, "Mufasa", "http-auth@example.org", "Circle of Life", "GET", "/dir/index.html",
            "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", "auth", "00000001", "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ");
        Assert.Equal(expected, r);
    }

    [Fact]
    public void ChallengeParsesAndAuthorizationCarriesEveryField()
    {
        Assert.True(SipDigestChallenge.TryParse(
            "Digest realm=\"trunk.example.com\",\r\n qop=\"auth,auth-int\", nonce=\"abc123\", opaque=\"xyz\", algorithm=SHA-256, stale=TRUE", out var c));
        Assert.Equal(("trunk.example.com", "abc123", "xyz", "SHA-256", true), (c.Realm, c.Nonce, c.Opaque, c.Algorithm, c.Stale));
        Assert.Equal(["auth", "auth-int"], c.Qop);
        var value = SipDigest.CreateAuthorization(c, "bridge", "s3cret", "INVITE", "sip:+1555@trunk.example.com", 1, "0a4f113b");
        Assert.True(SipDigestChallenge.TryParseParams(value, "Digest", out var p));
        Assert.Equal("bridge", p["username"]);
        Assert.Equal("00000001", p["nc"]);
        Assert.Equal("auth", p["qop"]);
        Assert.Equal("xyz", p["opaque"]);
        Assert.Equal(SipDigest.ComputeResponse("SHA-256", "bridge", "trunk.example.com", "s3cret", "INVITE", "sip:+1555@trunk.example.com",
            "abc123", "auth", "00000001", "0a4f113b"), p["response"]);
        Assert.False(SipDigestChallenge.TryParse("NoOneKnowsThisScheme opaque-data=here", out _));
        Assert.False(SipDigestChallenge.TryParse("Digest realm=\"x\"", out _));
    }

    [Fact]
    public void WithoutQopTheRfc2069FormIsUsed()
    {
        Assert.True(SipDigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n\"", out var c));
        var value = SipDigest.CreateAuthorization(c, "u", "p", "REGISTER", "sip:r", 1);
        Assert.DoesNotContain("qop", value, StringComparison.Ordinal);
        Assert.Contains("response=\"" + SipDigest.ComputeResponse("MD5", "u", "r", "p", "REGISTER", "sip:r", "n", null, null, null) + "\"", value, StringComparison.Ordinal);
    }
}
