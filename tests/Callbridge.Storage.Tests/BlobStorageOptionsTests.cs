using System.ComponentModel.DataAnnotations;

namespace Callbridge.Storage.Tests;

public sealed class BlobStorageOptionsTests
{
    private static List<ValidationResult> Validate(BlobStorageOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void Local_default_is_valid() => Assert.Empty(Validate(new BlobStorageOptions()));

    [Fact]
    public void Azure_needs_exactly_one_credential_and_an_endpoint()
    {
        var results = Validate(new BlobStorageOptions { Kind = BlobStorageKind.AzureBlob });
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(BlobStorageOptions.AzureServiceUri)));
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(BlobStorageOptions.AzureSasToken)));

        var both = Validate(new BlobStorageOptions
        {
            Kind = BlobStorageKind.AzureBlob, AzureServiceUri = new Uri("https://a.blob.core.windows.net"),
            AzureAccountName = "a", AzureAccountKey = "AAAA", AzureSasToken = "sv=x",
        });
        Assert.Single(both);
    }

    [Theory]
    [InlineData("Ab")]
    [InlineData("has_underscore")]
    [InlineData("double--hyphen")]
    public void Container_name_rules_are_enforced(string container) =>
        Assert.Contains(Validate(new BlobStorageOptions { AzureContainer = container }),
            r => r.MemberNames.Contains(nameof(BlobStorageOptions.AzureContainer)));
}
