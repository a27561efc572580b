using System.Text.Json;
using Callbridge.Sip.Commands;

namespace Callbridge.Sip.Tests;

public class SipParseCommandTests
{
    private static (int Code, string Out, string Err) Run(string input, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = SipParseCommand.Run(args, new StringReader(input), o, e);
        return (code, o.ToString(), e.ToString());
    }

    [Fact]
    public void ValidMessagePrintsStructureAsJson()
    {
        var (code, stdout, stderr) = Run(SampleMessages.Invite.Replace("\r\n", "\n", StringComparison.Ordinal), "sip", "parse");
        Assert.Equal(0, code);
        Assert.Empty(stderr);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal("request", r.GetProperty("kind").GetString());
        Assert.Equal("INVITE", r.GetProperty("method").GetString());
        Assert.Equal("+15551230000", r.GetProperty("requestUri").GetProperty("user").GetString());
        Assert.Equal("phone", r.GetProperty("requestUri").GetProperty("params").GetProperty("user").GetString());
        Assert.Equal("Conference Bridge", r.GetProperty("from").GetProperty("displayName").GetString());
        Assert.Equal("1928301774", r.GetProperty("from").GetProperty("tag").GetString());
        Assert.Equal(314159, r.GetProperty("cseq").GetProperty("number").GetInt32());
        Assert.Equal("z9hG4bK776asdhds", r.GetProperty("via")[0].GetProperty("branch").GetString());
        Assert.True(r.GetProperty("via")[0].GetProperty("rport").GetBoolean());
        Assert.Equal(13, r.GetProperty("headers").GetArrayLength());
        Assert.Equal(SampleMessages.Sdp.Length, r.GetProperty("body").GetProperty("length").GetInt32());
    }

    [Fact]
    public void TortureMessageWithUtf8IsShownAsText()
    {
        var text = System.Text.Encoding.UTF8.GetString(TestPaths.LoadTorture("unreason"));
        var (code, stdout, _) = Run(text);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("= 2**3 * 5**2 но сто девяносто девять - простое", doc.RootElement.GetProperty("reasonPhrase").GetString());
    }

    [Theory]
    [InlineData("badvers", "UnsupportedVersion", "505")]
    [InlineData("ncl", "BadContentLength", "400")]
    [InlineData("mismatch01", "CSeqMethodMismatch", "400")]
    public void InvalidMessageExplainsOnStderrWithExit2(string name, string reason, string status)
    {
        var text = System.Text.Encoding.UTF8.GetString(TestPaths.LoadTorture(name));
        var (code, stdout, stderr) = Run(text);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(reason, stderr, StringComparison.Ordinal);
        Assert.Contains("answers " + status, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void StreamFramingReportsAnIncompleteMessage()
    {
        var (code, _, stderr) = Run(SampleMessages.Invite[..^10], "--stream");
        Assert.Equal(2, code);
        Assert.Contains("incomplete", stderr, StringComparison.Ordinal);
        Assert.Equal(1, Run("", "--bogus").Code);
    }
}
