using System.Net.ServerSentEvents;
using System.Text;
using Callbridge.Notices.Sse;

namespace Callbridge.Notices.Tests;

public sealed class SseFrameTests
{
    private static string Frame(long id, string type, string data)
    {
        byte[] payload = Encoding.UTF8.GetBytes(data);
        var buffer = new byte[SseFrame.GetSerializedLength(id, type, payload)];
        int written = SseFrame.WriteTo(buffer, id, type, payload);
        Assert.Equal(buffer.Length, written);
        return Encoding.UTF8.GetString(buffer);
    }

    [Fact]
    public void Writes_id_event_and_data_lines()
    {
        Assert.Equal("id: 7\nevent: decision\ndata: {\"a\":1}\n\n", Frame(7, "decision", "{\"a\":1}"));
        Assert.Equal("event: subscriber_dropped\ndata: {}\n\n", Frame(0, "subscriber_dropped", "{}"));
        Assert.Equal("id: 1234567890123\nevent: x\ndata: \n\n", Frame(1234567890123, "x", ""));
    }

    [Fact]
    public void Splits_every_line_ending_into_data_lines()
    {
        Assert.Equal("id: 2\nevent: t\ndata: a\ndata: b\ndata: c\ndata: d\ndata: \n\n", Frame(2, "t", "a\nb\r\nc\rd\n"));
    }

    [Fact]
    public void Rejects_a_line_break_in_the_event_type()
    {
        Assert.Throws<ArgumentException>(() => SseFrame.WriteTo(new byte[64], 1, "a\nb", "x"u8));
    }

    [Fact]
    public async Task Random_payloads_round_trip_through_the_platform_sse_parser()
    {
        var random = new Random(7);
        const string alphabet = "ab{}\":,\r\n é€𝄞";
        var stream = new MemoryStream();
        var expected = new List<(string Id, string Data)>();
        for (int i = 1; i <= 10_000; i++)
        {
            var sb = new StringBuilder();
            int len = random.Next(0, 40);
            for (int j = 0; j < len; j++)
            {
                sb.Append(alphabet[random.Next(alphabet.Length)]);
            }

            string data = sb.ToString();
            // A surrogate pair split by the random pick is not valid UTF-16: keep the inputs well-formed.
            data = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(data));
            byte[] frame = Encoding.UTF8.GetBytes(Frame(i, "t", data));
            stream.Write(frame);
            expected.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), data.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n')));
        }

        stream.Position = 0;
        var parsed = new List<(string?, string)>();
        await foreach (SseItem<string> item in SseParser.Create(stream).EnumerateAsync())
        {
            Assert.Equal("t", item.EventType);
            parsed.Add((item.EventId, item.Data));
        }

        Assert.Equal(expected.Count, parsed.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], parsed[i]);
        }
    }
}
