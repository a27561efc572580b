using System.ComponentModel.DataAnnotations;
using Callbridge.Gateways.Host.Janus;

namespace Callbridge.Gateways.Host.Tests;

public sealed class EmbeddedJanusOptionsTests
{
    private static List<ValidationResult> Validate(JanusConnectionOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results;
    }

    [Fact]
    public void External_mode_needs_an_absolute_url()
    {
        var results = Validate(new JanusConnectionOptions { Mode = JanusMode.External });
        Assert.Contains(results, r => r.MemberNames.Contains(nameof(JanusConnectionOptions.Url)));
        Assert.Empty(Validate(new JanusConnectionOptions { Mode = JanusMode.External, Url = new Uri("http://janus:8088/janus") }));
    }

    [Fact]
    public void Embedded_port_out_of_range_names_the_field()
    {
        var results = Validate(new JanusConnectionOptions { Embedded = new EmbeddedJanusOptions { HttpPort = 70000 } });
        Assert.Contains(results, r => r.MemberNames.Contains("Embedded.HttpPort"));
    }

    [Fact]
    public void Bind_address_that_is_not_an_ip_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => EmbeddedJanusService.ResolveBindAddress("not-an-ip"));
        Assert.Contains("BindAddress", error.Message, StringComparison.Ordinal);
        Assert.Equal("10.1.2.3", EmbeddedJanusService.ResolveBindAddress("10.1.2.3").ToString());
    }
}
