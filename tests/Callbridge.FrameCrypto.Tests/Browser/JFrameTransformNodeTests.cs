using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.FrameCrypto.Tests.JFrame;
using Callbridge.FrameCrypto.Tests.Support;

namespace Callbridge.FrameCrypto.Tests.Browser;

/// <summary>
/// The browser transform script (jframe-transform.js, WebCrypto) run by real Node and in a real Chromium worker:
/// it must pass the JFrame vectors and be byte-compatible with the C# JFrameContext in both directions.
/// </summary>
public sealed class JFrameTransformNodeTests
{
    private static readonly byte[] K0 = Hex.Decode("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    public static TheoryData<string> PositiveNames() => JFrameVectors.PositiveNames();

    public static TheoryData<string> NegativeNames() => JFrameVectors.NegativeNames();

    // One Node process runs every vector's ops; each theory row checks its own slice.
    private static readonly Lazy<JsonArray> NodeVectorResults = new(() => NodeJFrame.Run(AllVectorOps()));

    [Theory]
    [MemberData(nameof(PositiveNames))]
    public void Node_transform_reproduces_vector(string name)
    {
        int i = JFrameVectors.NameList(positive: true).IndexOf(name);
        AssertPositive(name, NodeVectorResults.Value[2 * i]!.AsArray(), NodeVectorResults.Value[(2 * i) + 1]!.AsArray());
    }

    [Theory]
    [MemberData(nameof(NegativeNames))]
    public void Node_transform_drops_negative_vector_and_keeps_ring(string name)
    {
        int i = JFrameVectors.NameList(positive: false).IndexOf(name);
        AssertNegative(name, NodeVectorResults.Value[(2 * JFrameVectors.NameList(positive: true).Count) + i]![0]!);
    }

    [Fact]
    public void Chromium_worker_runs_the_transform_and_reproduces_every_vector()
    {
        var positives = JFrameVectors.NameList(positive: true);
        var negatives = JFrameVectors.NameList(positive: false);
        var ops = AllVectorOps();
        var reply = ChromiumJFrame.Run(ops);
        Assert.Equal("function", reply["scriptTransform"]!.GetValue<string>());
        Assert.Equal("function", reply["onrtctransform"]!.GetValue<string>());
        var results = reply["results"]!.AsArray();
        Assert.Equal(ops.Count, results.Count);
        for (int i = 0; i < positives.Count; i++)
        {
            AssertPositive(positives[i], results[2 * i]!.AsArray(), results[(2 * i) + 1]!.AsArray());
        }

        for (int i = 0; i < negatives.Count; i++)
        {
            AssertNegative(negatives[i], results[(2 * positives.Count) + i]![0]!);
        }
    }

    /// <summary>Two ops (encrypt, decrypt) per positive vector in file order, then one decrypt op per negative vector.</summary>
    private static JsonArray AllVectorOps()
    {
        var ops = new JsonArray();
        foreach (var name in JFrameVectors.NameList(positive: true))
        {
            foreach (var op in PositiveOps(name))
            {
                ops.Add(op!.DeepClone());
            }
        }

        foreach (var name in JFrameVectors.NameList(positive: false))
        {
            ops.Add(NegativeOp(name));
        }

        return ops;
    }

    private static JsonArray PositiveOps(string name)
    {
        var v = JFrameVectors.Positive(name);
        bool shared = v.TryGetProperty("shared_key_mode", out var s) && s.GetBoolean();
        int senderIndex = v.GetProperty("sender_set_key_index").GetInt32();
        string senderKey = (shared ? v.GetProperty("aes_gcm_key") : v.GetProperty("sender_key_material")).GetString()!;
        var frames = v.GetProperty("frames").EnumerateArray().ToList();
        var encrypt = NodeJFrame.EncryptOp(shared, [(senderIndex, senderKey)], frames.Select(f => NodeJFrame.EncryptFrame(
            KindWord(f), f.GetProperty("ssrc").GetUInt32(), f.GetProperty("rtp_timestamp").GetUInt32(), f.GetProperty("plaintext_frame").GetString()!,
            f.TryGetProperty("stub_initial_send_count", out var c) ? c.GetUInt32() : null)));
        var receiverKeys = shared ? [(senderIndex, senderKey)] : RingKeys(v.GetProperty("receiver_ring_before"));
        var decrypt = NodeJFrame.DecryptOp(shared, receiverKeys, frames.Select(f => (KindWord(f), f.GetProperty("encrypted_frame").GetString()!)));
        return [encrypt, decrypt];
    }

    private static void AssertPositive(string name, JsonArray encrypted, JsonArray decrypted)
    {
        var frames = JFrameVectors.Positive(name).GetProperty("frames").EnumerateArray().ToList();
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.True(frames[i].GetProperty("encrypted_frame").GetString() == encrypted[i]!.GetValue<string>(), $"{name} frame {i}: encrypted bytes differ");
            var d = decrypted[i]!;
            Assert.True(frames[i].GetProperty("plaintext_frame").GetString() == d["plaintext"]?.GetValue<string>(), $"{name} frame {i}: plaintext differs");
            Assert.Equal(frames[i].GetProperty("receiver_decrypt_attempts").GetInt32(), d["attempts"]!.GetValue<int>());
            if (frames[i].TryGetProperty("receiver_ring_after", out var ring))
            {
                AssertRing(ring, d);
            }
        }
    }

    private static JsonObject NegativeOp(string name)
    {
        var v = JFrameVectors.Negative(name);
        string kind = v.GetProperty("receiver_frame_type").ValueKind == JsonValueKind.Null ? "audio" : v.GetProperty("receiver_frame_type").GetString()!;
        return NodeJFrame.DecryptOp(false, RingKeys(v.GetProperty("receiver_ring_before")), [(kind, v.GetProperty("input_frame").GetString()!)]);
    }

    private static void AssertNegative(string name, JsonNode d)
    {
        var expected = JFrameVectors.Negative(name).GetProperty("expected");
        Assert.True(d["plaintext"] is null, name + " was delivered");
        Assert.Equal(expected.GetProperty("decrypt_attempts").GetInt32(), d["attempts"]!.GetValue<int>());
        Assert.NotEqual("None", d["reason"]!.GetValue<string>());
        AssertRing(expected.GetProperty("receiver_ring_after"), d);
    }

    [Fact]
    public void Node_encrypts_fixed_inputs_and_csharp_decrypts_them_byte_for_byte()
    {
        var cases = new List<(JFrameKind Kind, string Word, byte[] Plain, uint Ssrc, uint Ts, uint Count)>();
        var rng = new Random(20261122);

        // Send counts around the modulo-0xFFFF wrap, where a modulo-0x10000 implementation would differ.
        uint[] counts = [0, 1, 65534, 65535, 65536, 70000, 131070, 131071, uint.MaxValue];
        int n = 0;
        foreach (var (kind, word) in new[] { (JFrameKind.Audio, "audio"), (JFrameKind.VideoKey, "key"), (JFrameKind.VideoDelta, "delta") })
        {
            foreach (int size in new[] { JFrameContext.GetClearPrefixLength(kind), 80, 1200 })
            {
                var plain = new byte[size];
                rng.NextBytes(plain);
                cases.Add((kind, word, plain, (uint)rng.NextInt64(0, uint.MaxValue), (uint)rng.NextInt64(0, uint.MaxValue), counts[n++ % counts.Length]));
            }
        }

        var op = NodeJFrame.EncryptOp(false, [(21, Hex.Encode(K0))], cases.Select(c => NodeJFrame.EncryptFrame(c.Word, c.Ssrc, c.Ts, Hex.Encode(c.Plain), c.Count)));
        var fromNode = NodeJFrame.Run([op])[0]!.AsArray();

        using var csharpSender = new JFrameContext();
        csharpSender.SetKey(K0, 21);
        using var receiver = new JFrameContext();
        receiver.SetKey(K0, 5);
        for (int i = 0; i < cases.Count; i++)
        {
            var c = cases[i];
            var nodeFrame = Hex.Decode(fromNode[i]!.GetValue<string>());
            var mine = new byte[c.Plain.Length + JFrameContext.Overhead];
            csharpSender.SetSendCounter(c.Ssrc, c.Count);
            Assert.Equal(JFrameEncryptStatus.Success, csharpSender.Encrypt(c.Kind, c.Ssrc, c.Ts, c.Plain, mine, out _));
            Assert.Equal(Hex.Encode(mine), Hex.Encode(nodeFrame));
            Assert.Equal(21 % 16, nodeFrame[^1]);

            var output = new byte[nodeFrame.Length];
            var result = receiver.Decrypt(c.Kind, nodeFrame, output);
            Assert.Equal(JFrameDropReason.None, result.DropReason);
            Assert.Equal(c.Plain, output[..result.BytesWritten]);
        }
    }

    [Fact]
    public void Csharp_encrypts_and_node_decrypts_including_a_ratchet_on_slot_1()
    {
        var material = K0;
        for (int i = 0; i < 3; i++)
        {
            var next = new byte[32];
            JFrameKeyDerivation.Ratchet(material, next);
            material = next;
        }

        using var sender = new JFrameContext(initialSendCounter: () => 0xFFFE);
        sender.SetKey(material, 17);
        var rng = new Random(7);
        var frames = new List<(string Word, byte[] Plain, string Encrypted)>();
        foreach (var (kind, word) in new[] { (JFrameKind.Audio, "audio"), (JFrameKind.VideoKey, "key"), (JFrameKind.VideoDelta, "delta"), (JFrameKind.Audio, "audio") })
        {
            var plain = new byte[rng.Next(10, 1300)];
            rng.NextBytes(plain);
            var encrypted = new byte[plain.Length + JFrameContext.Overhead];
            Assert.Equal(JFrameEncryptStatus.Success, sender.Encrypt(kind, 0xCAFE, (uint)frames.Count * 960, plain, encrypted, out _));
            frames.Add((word, plain, Hex.Encode(encrypted)));
        }

        var other = Hex.Encode(Enumerable.Range(0, 32).Select(i => (byte)(0xF0 ^ i)).ToArray());
        var op = NodeJFrame.DecryptOp(false, [(1, Hex.Encode(K0)), (0, other)], frames.Select(f => (f.Word, f.Encrypted)));
        var results = NodeJFrame.Run([op])[0]!.AsArray();

        Assert.Equal(4, results[0]!["attempts"]!.GetValue<int>());
        Assert.Equal(3, results[0]!["ratchetSteps"]!.GetValue<int>());
        for (int i = 0; i < frames.Count; i++)
        {
            Assert.Equal(Hex.Encode(frames[i].Plain), results[i]!["plaintext"]!.GetValue<string>());
            Assert.Equal(Hex.Encode(material), results[i]!["ring"]!["1"]!.GetValue<string>());
            Assert.Equal(0, results[i]!["current"]!.GetValue<int>());
        }

        Assert.Equal(1, results[1]!["attempts"]!.GetValue<int>());
    }

    private static void AssertRing(JsonElement expected, JsonNode actual)
    {
        Assert.Equal(expected.GetProperty("current_key_index").GetInt32(), actual["current"]!.GetValue<int>());
        var actualRing = actual["ring"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<string>());
        var expectedRing = expected.GetProperty("slots_material_hex").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        Assert.Equal(expectedRing, actualRing);
    }

    private static List<(int Index, string Hex)> RingKeys(JsonElement ring)
    {
        int current = ring.GetProperty("current_key_index").GetInt32();
        return ring.GetProperty("slots_material_hex").EnumerateObject()
            .OrderBy(p => p.Name == current.ToString(CultureInfo.InvariantCulture))
            .Select(p => (int.Parse(p.Name, CultureInfo.InvariantCulture), p.Value.GetString()!))
            .ToList();
    }

    private static string KindWord(JsonElement frame) => JFrameVectors.KindOfFrame(frame) switch
    {
        JFrameKind.VideoKey => "key",
        JFrameKind.VideoDelta => "delta",
        _ => "audio",
    };
}
