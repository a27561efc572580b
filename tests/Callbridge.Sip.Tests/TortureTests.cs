using Callbridge.Sip.Message;
using Callbridge.Sip.Parsing;

namespace Callbridge.Sip.Tests;

/// <summary>Every RFC 4475 message in the shared vectors folder, with the outcome the RFC asks for.</summary>
public class TortureTests
{
    public static TheoryData<string> Valid => new()
    {
        "wsinv", "intmeth", "esc01", "escnull", "esc02", "lwsdisp", "longreq", "dblreq", "semiuri", "transports",
        "mpart01", "unreason", "noreason", "badbranch", "insuf", "unkscm", "novelsc", "unksm2", "bext01", "invut",
        "regaut01", "multi01", "bcast", "zeromf", "cparam01", "cparam02", "regescrt", "sdp01", "inv2543", "baddate",
    };

    public static TheoryData<string, SipParseErrorReason, int> Invalid => new()
    {
        { "badinv01", SipParseErrorReason.BadHeaderValue, 400 },
        { "clerr", SipParseErrorReason.ContentLengthMismatch, 400 },
        { "ncl", SipParseErrorReason.BadContentLength, 400 },
        { "scalar02", SipParseErrorReason.ScalarOutOfRange, 400 },
        { "scalarlg", SipParseErrorReason.ScalarOutOfRange, 400 },
        { "quotbal", SipParseErrorReason.BadHeaderValue, 400 },
        { "ltgtruri", SipParseErrorReason.BadRequestUri, 400 },
        { "lwsruri", SipParseErrorReason.BadRequestUri, 400 },
        { "lwsstart", SipParseErrorReason.BadStartLine, 400 },
        { "trws", SipParseErrorReason.BadRequestUri, 400 },
        { "escruri", SipParseErrorReason.BadRequestUri, 400 },
        { "regbadct", SipParseErrorReason.BadHeaderValue, 400 },
        { "badaspec", SipParseErrorReason.BadHeaderValue, 400 },
        // The stored copy ends after "l: 0" without the blank line; BaddnWithBlankLine checks the display name.
        { "baddn", SipParseErrorReason.Truncated, 400 },
        { "badvers", SipParseErrorReason.UnsupportedVersion, 505 },
        { "mismatch01", SipParseErrorReason.CSeqMethodMismatch, 400 },
        { "mismatch02", SipParseErrorReason.CSeqMethodMismatch, 400 },
        { "bigcode", SipParseErrorReason.BadStatusCode, 400 },
        { "mcl01", SipParseErrorReason.BadContentLength, 400 },
        // Not from the RFC: a Request-Line without SIP-Version.
        { "test", SipParseErrorReason.BadStartLine, 400 },
    };

    [Fact]
    public void EveryVectorFileIsCovered()
    {
        var files = Directory.GetFiles(TestPaths.TortureDir, "*.dat").Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        var covered = ((IEnumerable<object[]>)Valid).Select(r => (string)r[0]).Concat(((IEnumerable<object[]>)Invalid).Select(r => (string)r[0])).Order().ToArray();
        Assert.Equal(files, covered);
    }

    [Theory]
    [MemberData(nameof(Valid))]
    public void ValidMessageParses(string name)
    {
        var bytes = TestPaths.LoadTorture(name);
        var status = SipMessage.TryParse(bytes, datagram: true, out var msg, out int consumed, out var error);
        Assert.True(status == SipParseStatus.Complete, name + ": " + error);
        Assert.NotNull(msg);
        Assert.True(consumed <= bytes.Length);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidMessageIsRejected(string name, SipParseErrorReason reason, int statusCode)
    {
        var bytes = TestPaths.LoadTorture(name);
        var status = SipMessage.TryParse(bytes, datagram: true, out var msg, out _, out var error);
        Assert.Equal(SipParseStatus.Invalid, status);
        Assert.Null(msg);
        Assert.Equal(reason, error.Reason);
        Assert.Equal(statusCode, error.StatusCode);
    }

    [Fact]
    public void BaddnWithBlankLineIsRejectedForItsDisplayName()
    {
        var bytes = TestPaths.LoadTorture("baddn").Concat("\r\n"u8.ToArray()).ToArray();
        var status = SipMessage.TryParse(bytes, datagram: true, out _, out _, out var error);
        Assert.Equal(SipParseStatus.Invalid, status);
        Assert.Equal(SipParseErrorReason.BadHeaderValue, error.Reason);
        Assert.Equal("From", error.Header);
    }
}
