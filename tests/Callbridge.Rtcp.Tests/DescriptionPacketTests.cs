using System.Text;
using Callbridge.Rtcp;

namespace Callbridge.Rtcp.Tests;

public class DescriptionPacketTests
{
    // RFC 3550 §6.5: one chunk, CNAME "user@host" (9 bytes): 4 + 2 + 9 = 15, + null = 16.
    internal static readonly byte[] SdesBytes = Hex.Bytes("""
        81 CA 00 04
        00 00 12 34
        01 09 75 73 65 72 40 68 6F 73 74 00
        """);

    [Fact]
    public void ParsesSdesChunkItems()
    {
        Assert.Equal(RtcpError.None, SourceDescription.TryParse(SdesBytes, out var sdes, out int consumed));
        Assert.Equal(20, consumed);
        Assert.Equal(1, sdes.ChunkCount);
        var chunks = sdes.GetChunks();
        Assert.True(chunks.MoveNext());
        Assert.Equal(0x1234u, chunks.Current.Ssrc);
        Assert.True(chunks.Current.TryGetItem(SdesItemType.CName, out var cname));
        Assert.Equal("user@host", Encoding.ASCII.GetString(cname));
        Assert.False(chunks.Current.TryGetItem(SdesItemType.Tool, out _));
        Assert.False(chunks.MoveNext());
    }

    [Fact]
    public void SdesWriterProducesAlignedChunksThatParse()
    {
        var buffer = new byte[128];
        var writer = new SdesWriter(buffer);
        Assert.True(writer.TryBeginChunk(1));
        Assert.True(writer.TryAddItem(SdesItemType.CName, "a"u8));
        Assert.True(writer.TryBeginChunk(2));
        Assert.True(writer.TryAddItem(SdesItemType.CName, "bb"u8));
        Assert.True(writer.TryAddItem(SdesItemType.Mid, "0"u8));
        var sdes = writer.Complete();
        Assert.Equal(0, sdes.Chunks.Length % 4);

        var wire = new byte[sdes.GetSerializedLength()];
        sdes.WriteTo(wire);
        Assert.Equal(RtcpError.None, SourceDescription.TryParse(wire, out var parsed, out _));
        Assert.Equal(2, parsed.ChunkCount);
        var chunks = parsed.GetChunks();
        Assert.True(chunks.MoveNext());
        Assert.True(chunks.MoveNext());
        Assert.Equal(2u, chunks.Current.Ssrc);
        Assert.True(chunks.Current.TryGetItem(SdesItemType.Mid, out var mid));
        Assert.Equal("0"u8.ToArray(), mid.ToArray());
    }

    [Fact]
    public void SdesWithoutTerminatorIsInvalid()
    {
        var bytes = Hex.Bytes("81 CA 00 02 00 00 12 34 01 02 41 41");
        Assert.Equal(RtcpError.InvalidSdes, SourceDescription.TryParse(bytes, out _, out _));
    }

    [Fact]
    public void ByeWithReasonRoundTrips()
    {
        var bye = new Goodbye { SsrcBytes = [0, 0, 0, 5, 0, 0, 0, 6], Reason = "shutdown"u8 };
        var wire = new byte[bye.GetSerializedLength()];
        Assert.Equal(4 + 8 + 12, bye.WriteTo(wire));
        Assert.Equal(RtcpError.None, Goodbye.TryParse(wire, out var parsed, out _));
        Assert.Equal(2, parsed.SourceCount);
        Assert.Equal(6u, parsed.GetSsrc(1));
        Assert.Equal("shutdown", Encoding.UTF8.GetString(parsed.Reason));

        // Reason length pointing past the packet.
        var bad = Hex.Bytes("81 CB 00 02 00 00 00 05 09 41 41 41");
        Assert.Equal(RtcpError.InvalidReason, Goodbye.TryParse(bad, out _, out _));
    }

    [Fact]
    public void AppPacketRoundTrips()
    {
        var app = new ApplicationDefined { Subtype = 3, Ssrc = 7, Name = "CBGW"u8, Data = [1, 2, 3, 4, 5, 6, 7, 8] };
        var wire = new byte[app.GetSerializedLength()];
        app.WriteTo(wire);
        Assert.Equal(0x83, wire[0]);
        Assert.Equal(RtcpError.None, ApplicationDefined.TryParse(wire, out var parsed, out _));
        Assert.Equal(3, parsed.Subtype);
        Assert.Equal("CBGW"u8.ToArray(), parsed.Name.ToArray());
        Assert.Equal(8, parsed.Data.Length);
    }
}
