using Callbridge.Rtcp;

namespace Callbridge.Rtcp.Tests;

/// <summary>Every proper prefix of every message type is refused by its own parser with a typed error.</summary>
public class PrefixTests
{
    public static TheoryData<string, string> Messages => new()
    {
        { "SR", Convert.ToHexString(ReportPacketTests.SenderReportBytes) },
        { "RR", "81C90007000000630000000100000005000111700000000CAABBCCDD00010000" },
        { "SDES", Convert.ToHexString(DescriptionPacketTests.SdesBytes) },
        { "BYE", "81CB0003000000050462796521000000" },
        { "APP", "83CC0003000000074342475701020304" },
        { "NACK", "81CD0003000000010000000200640005" },
        { "PLI", "81CE00020000000A0000000B" },
        { "FIR", "84CE00040000000A000000000000000C07000000" },
        { "REMB", "8FCE0005000000010000000052454D42010DE84800000009" },
        { "RAW", "80D20001DEADBEEF" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void EveryPrefixIsATypedError(string type, string hex)
    {
        var message = Convert.FromHexString(hex);
        Assert.Equal(RtcpError.None, Parse(type, message));
        for (int length = 0; length < message.Length; length++)
        {
            var error = Parse(type, message.AsSpan(0, length));
            Assert.True(error is RtcpError.TooShort or RtcpError.Truncated, $"{type} prefix {length}: {error}");
        }
    }

    private static RtcpError Parse(string type, ReadOnlySpan<byte> data) => type switch
    {
        "SR" => SenderReport.TryParse(data, out _, out _),
        "RR" => ReceiverReport.TryParse(data, out _, out _),
        "SDES" => SourceDescription.TryParse(data, out _, out _),
        "BYE" => Goodbye.TryParse(data, out _, out _),
        "APP" => ApplicationDefined.TryParse(data, out _, out _),
        "NACK" => GenericNack.TryParse(data, out _, out _),
        "PLI" => PictureLossIndication.TryParse(data, out _, out _),
        "FIR" => FullIntraRequest.TryParse(data, out _, out _),
        "REMB" => ReceiverEstimatedMaxBitrate.TryParse(data, out _, out _),
        _ => RawRtcpPacket.TryParse(data, out _, out _),
    };
}
