using System.Text.Json;
using Callbridge.FrameCrypto.JFrame;
using Callbridge.FrameCrypto.Tests.Support;

namespace Callbridge.FrameCrypto.Tests.JFrame;

/// <summary>Access to /work/shared/vectors/jframe-vectors.json by vector name.</summary>
internal static class JFrameVectors
{
    private static readonly Lazy<JsonDocument> Document = new(() => SharedFiles.LoadVectors("jframe-vectors.json"));

    public static JsonElement Root => Document.Value.RootElement;

    public static TheoryData<string> PositiveNames() => Names("vectors");

    public static TheoryData<string> NegativeNames() => Names("negative_vectors");

    public static List<string> NameList(bool positive) =>
        Root.GetProperty(positive ? "vectors" : "negative_vectors").EnumerateArray().Select(v => v.GetProperty("name").GetString()!).ToList();

    public static JsonElement Positive(string name) => Find("vectors", name);

    public static JsonElement Negative(string name) => Find("negative_vectors", name);

    public static IEnumerable<JsonElement> AllPositiveFrames() =>
        Root.GetProperty("vectors").EnumerateArray().SelectMany(v => v.GetProperty("frames").EnumerateArray());

    public static JFrameKind KindOfFrame(JsonElement frame) => KindOf(frame.GetProperty("encoded_frame_type"));

    public static JFrameKind KindOf(JsonElement encodedFrameType) => encodedFrameType.ValueKind == JsonValueKind.Null
        ? JFrameKind.Audio
        : encodedFrameType.GetString() switch
        {
            "key" => JFrameKind.VideoKey,
            "delta" => JFrameKind.VideoDelta,
            var other => throw new InvalidDataException("unknown frame type " + other),
        };

    /// <summary>A receiver context holding exactly the ring described by a "receiver_ring_*" element.</summary>
    public static JFrameContext ReceiverFrom(JsonElement ring)
    {
        var context = new JFrameContext();
        int current = ring.GetProperty("current_key_index").GetInt32();
        foreach (var slot in ring.GetProperty("slots_material_hex").EnumerateObject().Where(s => int.Parse(s.Name, System.Globalization.CultureInfo.InvariantCulture) != current))
        {
            context.SetKey(Hex.Decode(slot.Value.GetString()!), int.Parse(slot.Name, System.Globalization.CultureInfo.InvariantCulture));
        }

        // The current slot last, since setKey makes its index current.
        if (ring.GetProperty("slots_material_hex").TryGetProperty(current.ToString(System.Globalization.CultureInfo.InvariantCulture), out var currentMaterial))
        {
            context.SetKey(Hex.Decode(currentMaterial.GetString()!), current);
        }

        Assert.Equal(current, context.CurrentKeyIndex);
        return context;
    }

    public static void AssertRing(JsonElement expectedRing, JFrameContext context)
    {
        Assert.Equal(expectedRing.GetProperty("current_key_index").GetInt32(), context.CurrentKeyIndex);
        var slots = expectedRing.GetProperty("slots_material_hex");
        for (int slot = 0; slot < JFrameContext.KeyRingSize; slot++)
        {
            var actual = context.GetKeyMaterial(slot);
            if (slots.TryGetProperty(slot.ToString(System.Globalization.CultureInfo.InvariantCulture), out var expected))
            {
                Assert.NotNull(actual);
                Assert.Equal(expected.GetString(), Hex.Encode(actual));
            }
            else
            {
                Assert.Null(actual);
            }
        }
    }

    private static TheoryData<string> Names(string array)
    {
        var data = new TheoryData<string>();
        foreach (var v in Root.GetProperty(array).EnumerateArray())
        {
            data.Add(v.GetProperty("name").GetString()!);
        }

        return data;
    }

    private static JsonElement Find(string array, string name) =>
        Root.GetProperty(array).EnumerateArray().Single(v => v.GetProperty("name").GetString() == name);
}
