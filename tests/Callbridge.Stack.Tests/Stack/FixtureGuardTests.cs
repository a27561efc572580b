using Callbridge.TestSupport;
using Callbridge.TestSupport.Janus;

namespace Callbridge.Stack.Tests.Stack;

/// <summary>Fixtures refuse to run where they cannot work, and say why.</summary>
public sealed class FixtureGuardTests
{
    [Fact]
    public async Task Janus_fixture_outside_the_namespace_fails_pointing_to_the_test_script()
    {
        var saved = Environment.GetEnvironmentVariable("CALLBRIDGE_NETNS");
        Environment.SetEnvironmentVariable("CALLBRIDGE_NETNS", null);
        try
        {
            var fixture = new JanusFixture();

            var ex = await Assert.ThrowsAsync<InvalidOperationException>(fixture.InitializeAsync);

            Assert.Contains("scripts/test.sh", ex.Message, StringComparison.Ordinal);
            Assert.Contains("loopback", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("CALLBRIDGE_NETNS", saved);
        }
    }

    [Fact]
    public void Missing_program_names_its_package()
    {
        var ex = Assert.Throws<MissingProgramException>(() => RequiredPrograms.Require("/usr/bin/callbridge-no-such-program"));

        Assert.Equal("/usr/bin/callbridge-no-such-program", ex.Program);
        Assert.Contains("install", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Installed_programs_pass_the_check()
    {
        Assert.Equal(RequiredPrograms.Janus, RequiredPrograms.Require(RequiredPrograms.Janus));
        Assert.Equal(RequiredPrograms.AdapterJs, RequiredPrograms.Require(RequiredPrograms.AdapterJs));
    }
}
