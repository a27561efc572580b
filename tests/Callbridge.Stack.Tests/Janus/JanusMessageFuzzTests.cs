using System.Text;
using Callbridge.Janus;
using Callbridge.Janus.VideoRoom;

namespace Callbridge.Stack.Tests.Janus;

/// <summary>Seeded mutation loop: whatever bytes Janus sends, the client reports a typed error or an event, never anything else.</summary>
public sealed class JanusMessageFuzzTests
{
    private static readonly string[] Seeds =
    [
        """{"janus":"event","session_id":1,"transaction":"abc","sender":2,"plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"joined","room":7,"id":9,"private_id":3,"publishers":[{"id":5,"display":"a"}]}},"jsep":{"type":"offer","sdp":"v=0\r\n","e2ee":true}}""",
        """[{"janus":"keepalive"},{"janus":"webrtcup","session_id":1,"sender":2},{"janus":"media","session_id":1,"sender":2,"type":"audio","receiving":true}]""",
        """{"janus":"error","session_id":1,"transaction":"x","error":{"code":458,"reason":"No such session"}}""",
        """{"janus":"success","session_id":1,"transaction":"t","sender":2,"plugindata":{"plugin":"janus.plugin.videoroom","data":{"videoroom":"success","list":[{"room":5,"require_e2ee":true,"num_participants":1}]}}}""",
        """{"janus":"hangup","session_id":1,"sender":2,"reason":"ICE failed"}""",
    ];

    [Fact]
    public void Mutated_long_poll_messages_yield_only_events_or_typed_errors()
    {
        var random = new Random(20261122);
        var session = JanusSessionFactory.Detached();
        var events = 0;
        var typedErrors = 0;
        var seeds = Seeds.Select(Encoding.UTF8.GetBytes).ToArray();
        for (var i = 0; i < 100_000; i++)
        {
            var input = Mutate(seeds[random.Next(seeds.Length)], random);
            try
            {
                var node = JanusJson.ParseNode(input);
                if (node is System.Text.Json.Nodes.JsonObject o)
                {
                    session.Dispatch(o);
                    if (JanusJson.TryReadEvent(o, out var evt) && evt is not null)
                    {
                        events++;
                        _ = VideoRoomClient.ReadPublishers(evt.Data);
                    }
                }
            }
            catch (JanusException ex)
            {
                Assert.Equal(JanusErrorKind.MalformedResponse, ex.Kind);
                typedErrors++;
            }
        }

        // Both outcomes occur: the loop exercised parsing and dispatch, not only the error path.
        Assert.True(events > 1_000, $"{events} events");
        Assert.True(typedErrors > 1_000, $"{typedErrors} typed errors");
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var data = new List<byte>(seed);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            if (data.Count == 0)
            {
                data.Add((byte)random.Next(256));
                continue;
            }

            var at = random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0:
                    data[at] = (byte)random.Next(256);
                    break;
                case 1:
                    data.RemoveAt(at);
                    break;
                case 2:
                    data.Insert(at, "{}[]\",:0-e\\"u8[random.Next(11)]);
                    break;
                case 3:
                    data.RemoveRange(at, data.Count - at);
                    break;
                case 4:
                    var len = Math.Min(random.Next(1, 16), data.Count - at);
                    data.InsertRange(at, data.GetRange(at, len));
                    break;
                default:
                    // Swap a digit or letter for another one so the document usually stays valid JSON.
                    if (data[at] is >= (byte)'0' and <= (byte)'9')
                    {
                        data[at] = (byte)('0' + random.Next(10));
                    }
                    else if (data[at] is >= (byte)'a' and <= (byte)'z')
                    {
                        data[at] = (byte)('a' + random.Next(26));
                    }

                    break;
            }
        }

        return [.. data];
    }
}
