using Callbridge.TestSupport;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Callbridge.FrameCrypto.Tests.Support;

/// <summary>Runs src/Callbridge.FrameCrypto/Browser/jframe-transform.js under Node through Node/jframe-driver.js.</summary>
internal static class NodeJFrame
{
    public static string TransformPath => Path.Combine(AppContext.BaseDirectory, "Browser", "jframe-transform.js");

    /// <summary>Sends the ops and returns one JSON array per op.</summary>
    public static JsonArray Run(JsonArray ops)
    {
        Assert.True(File.Exists(TransformPath), "transform script not copied: " + TransformPath);
        var request = new JsonObject { ["transform"] = TransformPath, ["ops"] = ops };
        var driver = Path.Combine(AppContext.BaseDirectory, "Node", "jframe-driver.js");
        var node = ExternalTool.Run("node", "nodejs", [driver], request.ToJsonString(), TimeSpan.FromSeconds(120));
        Assert.True(node.ExitCode == 0, "node failed: " + node.Stderr);
        return JsonNode.Parse(node.StdoutText)!.AsArray();
    }

    public static JsonObject EncryptOp(bool sharedKey, IEnumerable<(int Index, string Hex)> keys, IEnumerable<JsonObject> frames) => new()
    {
        ["op"] = "encrypt",
        ["sharedKey"] = sharedKey,
        ["keys"] = Keys(keys),
        ["frames"] = new JsonArray([.. frames]),
    };

    public static JsonObject DecryptOp(bool sharedKey, IEnumerable<(int Index, string Hex)> keys, IEnumerable<(string Kind, string Data)> frames) => new()
    {
        ["op"] = "decrypt",
        ["sharedKey"] = sharedKey,
        ["keys"] = Keys(keys),
        ["frames"] = new JsonArray([.. frames.Select(f => (JsonNode)new JsonObject { ["kind"] = f.Kind, ["data"] = f.Data })]),
    };

    public static JsonObject EncryptFrame(string kind, uint ssrc, uint timestamp, string plaintextHex, uint? sendCount) => new()
    {
        ["kind"] = kind,
        ["ssrc"] = ssrc,
        ["timestamp"] = timestamp,
        ["plaintext"] = plaintextHex,
        ["sendCount"] = sendCount,
    };

    private static JsonArray Keys(IEnumerable<(int Index, string Hex)> keys) =>
        new([.. keys.Select(k => (JsonNode)new JsonArray(k.Index, k.Hex))]);
}
