using Callbridge.Sip.Message;

namespace Callbridge.Sip.Tests;

/// <summary>RFC 4475 §3.3 messages that parse but must be answered with an error by a UAS.</summary>
public class RequestCheckTests
{
    private static readonly string[] Extensions = ["100rel", "timer"];
    private static readonly string[] Types = ["application/sdp"];

    [Theory]
    [InlineData("insuf", 400)]
    [InlineData("unkscm", 416)]
    [InlineData("bext01", 420)]
    [InlineData("invut", 415)]
    [InlineData("regaut01", 401)]
    [InlineData("multi01", 400)]
    [InlineData("sdp01", 406)]
    [InlineData("wsinv", 0)]
    [InlineData("novelsc", 416)]
    [InlineData("zeromf", 0)]
    [InlineData("inv2543", 0)]
    public void UasAnswers(string name, int status)
    {
        var parsed = SipMessage.TryParse(TestPaths.LoadTorture(name), true, out var msg, out _, out _);
        Assert.Equal(Callbridge.Sip.Parsing.SipParseStatus.Complete, parsed);
        var r = SipRequestCheck.Check(msg!, Extensions, Types);
        Assert.Equal(status, r.StatusCode);
    }
}
