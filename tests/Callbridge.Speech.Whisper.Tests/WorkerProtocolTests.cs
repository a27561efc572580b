using System.Buffers.Binary;
using System.Text;
using Callbridge.Speech.Whisper.Protocol;

namespace Callbridge.Speech.Whisper.Tests;

public sealed class WorkerProtocolTests
{
    [Fact]
    public void Frame_CarriesJsonAndLittleEndianPcmBehindTheTwoLengths()
    {
        byte[] json = Encoding.UTF8.GetBytes("{\"op\":\"feed\",\"stream\":\"s1\"}");
        short[] pcm = [1, -2, short.MaxValue, short.MinValue];
        var buffer = new byte[WorkerFrame.GetSerializedLength(json.Length, pcm.Length)];

        int written = WorkerFrame.WriteTo(buffer, json, pcm);

        Assert.Equal(buffer.Length, written);
        Assert.Equal((uint)json.Length, BinaryPrimitives.ReadUInt32LittleEndian(buffer));
        Assert.Equal((uint)(pcm.Length * 2), BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(4)));
        Assert.Equal(json, buffer.AsSpan(8, json.Length).ToArray());
        for (int i = 0; i < pcm.Length; i++)
        {
            Assert.Equal(pcm[i], BinaryPrimitives.ReadInt16LittleEndian(buffer.AsSpan(8 + json.Length + (2 * i))));
        }
    }

    [Fact]
    public void Frame_BeyondTheWorkersBounds_IsRefused()
    {
        var pcm = new short[(WorkerFrame.MaxPayloadBytes / 2) + 1];
        var buffer = new byte[WorkerFrame.GetSerializedLength(2, pcm.Length)];
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkerFrame.WriteTo(buffer, "{}"u8, pcm));
        Assert.Throws<ArgumentOutOfRangeException>(() => WorkerFrame.WriteTo(buffer, [], []));
    }

    [Fact]
    public void Reply_WithSegments_Parses()
    {
        const string line = "{\"id\":7,\"ok\":true,\"stream\":\"s1\",\"samples\":48000,\"dropped\":0,\"segments\":[{\"text\":\" hello\",\"t0\":0,\"t1\":1500}],\"ms\":12}";

        Assert.True(WorkerMessage.TryParse(line, out WorkerMessage? m, out WorkerParseError error));

        Assert.Equal(WorkerParseError.None, error);
        Assert.Equal(WorkerMessageKind.Reply, m!.Kind);
        Assert.Equal(7, m.Id);
        Assert.True(m.Ok);
        Assert.Equal(48000, m.Samples);
        Assert.Equal([new WorkerSegment(" hello", 0, 1500)], m.Segments);
    }

    [Theory]
    [InlineData("{\"event\":\"ready\",\"version\":\"1.1.3\"}", "Ready", null)]
    [InlineData("{\"event\":\"fatal\",\"code\":\"package_missing\",\"message\":\"x\"}", "Fatal", "package_missing")]
    [InlineData("{\"id\":2,\"ok\":false,\"code\":\"model_invalid\",\"message\":\"m\"}", "Reply", "model_invalid")]
    public void Events_AndErrorReplies_Parse(string line, string kind, string? code)
    {
        Assert.True(WorkerMessage.TryParse(line, out WorkerMessage? m, out _));
        Assert.Equal(Enum.Parse<WorkerMessageKind>(kind), m!.Kind);
        Assert.Equal(code, m.Code);
    }

    [Theory]
    [InlineData("whisper_init_from_file: loading", "NotJson")]
    [InlineData("[1,2]", "NotJson")]
    [InlineData("{\"hello\":1}", "UnknownShape")]
    [InlineData("{\"event\":\"party\"}", "UnknownShape")]
    [InlineData("{\"id\":\"7\",\"ok\":true}", "BadField")]
    [InlineData("{\"id\":7}", "BadField")]
    [InlineData("{\"id\":7,\"ok\":true,\"samples\":-1}", "BadField")]
    [InlineData("{\"id\":7,\"ok\":true,\"segments\":[{\"text\":1,\"t0\":0,\"t1\":1}]}", "BadField")]
    [InlineData("{\"id\":7,\"ok\":true,\"segments\":[{\"text\":\"a\",\"t0\":0}]}", "BadField")]
    [InlineData("{\"id\":7,\"ok\":true,\"code\":5}", "BadField")]
    public void MalformedLines_GiveTheirReason(string line, string expected)
    {
        Assert.False(WorkerMessage.TryParse(line, out WorkerMessage? m, out WorkerParseError error));
        Assert.Null(m);
        Assert.Equal(Enum.Parse<WorkerParseError>(expected), error);
    }

    [Fact]
    public void MutatedLines_OnlyEverGiveATypedResult()
    {
        string[] seeds =
        [
            "{\"id\":7,\"ok\":true,\"stream\":\"s1\",\"samples\":48000,\"segments\":[{\"text\":\" hi\",\"t0\":0,\"t1\":1500}]}",
            "{\"event\":\"fatal\",\"code\":\"package_missing\",\"message\":\"x\"}",
            "{\"id\":1,\"ok\":true,\"loaded\":true,\"streams\":0}",
        ];
        const string alphabet = "{}[]\":,0123456789-.eE truefalsnul\\idoksegmt";
        var random = new Random(20261122);
        int parsed = 0;
        for (int i = 0; i < 100_000; i++)
        {
            var line = new StringBuilder(seeds[i % seeds.Length]);
            int mutations = 1 + random.Next(4);
            for (int m = 0; m < mutations && line.Length > 0; m++)
            {
                int at = random.Next(line.Length);
                switch (random.Next(3))
                {
                    case 0:
                        line[at] = alphabet[random.Next(alphabet.Length)];
                        break;
                    case 1:
                        line.Remove(at, 1);
                        break;
                    default:
                        line.Insert(at, alphabet[random.Next(alphabet.Length)]);
                        break;
                }
            }

            bool ok = WorkerMessage.TryParse(line.ToString(), out WorkerMessage? message, out WorkerParseError error);
            Assert.Equal(ok, message is not null);
            Assert.Equal(ok, error == WorkerParseError.None);
            parsed += ok ? 1 : 0;
        }

        // The loop must have exercised both outcomes.
        Assert.InRange(parsed, 1, 99_999);
    }
}
