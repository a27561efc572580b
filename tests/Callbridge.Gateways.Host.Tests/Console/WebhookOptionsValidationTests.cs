using System.ComponentModel.DataAnnotations;
using Callbridge.Gateways.Host.Api;

namespace Callbridge.Gateways.Host.Tests.Console;

/// <summary>Per-tenant webhook settings are validated at start (ValidateOnStart), with messages naming the field.</summary>
public sealed class WebhookOptionsValidationTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";

    private static string[] Errors(string? url, string? secret)
    {
        var options = new TenantOptions
        {
            Tenants = [new TenantEntry { Id = "t", ApiKeys = ["tenant-key-0123456789"], WebhookUrl = url, WebhookSecret = secret }],
        };
        return [.. options.Validate(new ValidationContext(options)).Select(r => r.ErrorMessage!)];
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("https://hooks.example.com/callbridge", Secret)]
    [InlineData("http://127.0.0.1:8080/hook", Secret)]
    [InlineData("http://[::1]:8080/hook", Secret)]
    [InlineData("http://localhost:8080/hook", Secret)]
    public void Valid_settings_pass(string? url, string? secret) => Assert.Empty(Errors(url, secret));

    [Theory]
    [InlineData("https://hooks.example.com/callbridge", null, "together")]
    [InlineData(null, Secret, "together")]
    [InlineData("hooks.example.com/callbridge", Secret, "absolute https URL")]
    [InlineData("ftp://hooks.example.com/callbridge", Secret, "absolute https URL")]
    [InlineData("http://hooks.example.com/callbridge", Secret, "must use https")]
    [InlineData("https://user:pw@hooks.example.com/callbridge", Secret, "credentials")]
    [InlineData("https://hooks.example.com/callbridge", "short-secret", "shorter than 32")]
    public void Invalid_settings_are_named(string? url, string? secret, string expected)
    {
        string error = Assert.Single(Errors(url, secret));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains("Tenants[0] ('t')", error, StringComparison.Ordinal);
    }
}
