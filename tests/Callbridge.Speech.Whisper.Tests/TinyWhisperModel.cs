using System.Buffers.Binary;
using System.Text;

namespace Callbridge.Speech.Whisper.Tests;

/// <summary>
/// Writes a very small Whisper model in whisper.cpp's ggml layout (whisper_model_load): magic, hparams,
/// mel filters, vocabulary, then each tensor as n_dims, name length, type, ne[] (ggml order), name, data.
/// The weights are zero, so it transcribes nothing meaningful; it loads and decodes, which proves the
/// plumbing. Shapes follow whisper_model_load's tensor list for F32 (ftype 0).
/// </summary>
internal static class TinyWhisperModel
{
    private const uint GgmlMagic = 0x67676d6c; // "ggml"

    // The English-only vocabulary size: whisper.cpp hard-codes the special token ids (eot 50256 ... beg 50363)
    // for it, so the table cannot be smaller; the token embedding (State x Vocab) dominates the file.
    private const int Vocab = 51864;
    private const int TextTokens = 50256;
    private const int AudioCtx = 1500; // 30 s of 10 ms mel frames after the stride-2 convolution
    // whisper.cpp decodes at most TextCtx / 2 - 4 tokens per window, each over the whole vocabulary. 32
    // instead of the real models' 448 cuts one transcription from about 0.85 s to 0.46 s of CPU here
    // (whisper.node 1.1.3, one thread) and still yields text and timestamps.
    private const int TextCtx = 32;
    private const int Mels = 80;
    private const int FftBins = 201;
    private const int State = 64;
    private const int Layers = 1;
    private const int Heads = 1;

    public static string Write(string folder, string name = "ggml-tiny-test.bin")
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        using var w = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true);
        w.Write(GgmlMagic);
        foreach (int v in new[] { Vocab, AudioCtx, State, Heads, Layers, TextCtx, State, Heads, Layers, Mels, 0 })
        {
            w.Write(v);
        }

        w.Write(Mels);
        w.Write(FftBins);
        w.Write(new byte[Mels * FftBins * sizeof(float)]);

        // Text tokens; whisper.cpp names the special ones itself. Token 220 must be " " (its blank
        // suppression looks it up by text).
        w.Write(TextTokens);
        for (int i = 0; i < TextTokens; i++)
        {
            byte[] token = Encoding.ASCII.GetBytes(i == 220 ? " " : (i % 2 == 1 ? " w" : "w") + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            w.Write(token.Length);
            w.Write(token);
        }

        Tensor(w, "encoder.positional_embedding", State, AudioCtx);
        Tensor(w, "encoder.conv1.weight", 3, Mels, State);
        Tensor(w, "encoder.conv1.bias", 1, State);
        Tensor(w, "encoder.conv2.weight", 3, State, State);
        Tensor(w, "encoder.conv2.bias", 1, State);
        Tensor(w, "encoder.ln_post.weight", State);
        Tensor(w, "encoder.ln_post.bias", State);
        for (int i = 0; i < Layers; i++)
        {
            Block(w, $"encoder.blocks.{i}.", cross: false);
        }

        Tensor(w, "decoder.positional_embedding", State, TextCtx);
        Tensor(w, "decoder.token_embedding.weight", State, Vocab);
        Tensor(w, "decoder.ln.weight", State);
        Tensor(w, "decoder.ln.bias", State);
        for (int i = 0; i < Layers; i++)
        {
            Block(w, $"decoder.blocks.{i}.", cross: true);
        }

        return path;
    }

    private static void Block(BinaryWriter w, string prefix, bool cross)
    {
        Tensor(w, prefix + "mlp_ln.weight", State);
        Tensor(w, prefix + "mlp_ln.bias", State);
        Tensor(w, prefix + "mlp.0.weight", State, 4 * State);
        Tensor(w, prefix + "mlp.0.bias", 4 * State);
        Tensor(w, prefix + "mlp.2.weight", 4 * State, State);
        Tensor(w, prefix + "mlp.2.bias", State);
        foreach (string attn in cross ? new[] { "attn", "cross_attn" } : ["attn"])
        {
            Tensor(w, prefix + attn + "_ln.weight", State);
            Tensor(w, prefix + attn + "_ln.bias", State);
            Tensor(w, prefix + attn + ".query.weight", State, State);
            Tensor(w, prefix + attn + ".query.bias", State);
            Tensor(w, prefix + attn + ".key.weight", State, State); // Whisper's key projection has no bias
            Tensor(w, prefix + attn + ".value.weight", State, State);
            Tensor(w, prefix + attn + ".value.bias", State);
            Tensor(w, prefix + attn + ".out.weight", State, State);
            Tensor(w, prefix + attn + ".out.bias", State);
        }
    }

    private static void Tensor(BinaryWriter w, string name, params int[] ne)
    {
        byte[] nameBytes = Encoding.ASCII.GetBytes(name);
        w.Write(ne.Length);
        w.Write(nameBytes.Length);
        w.Write(0); // GGML_TYPE_F32
        long elements = 1;
        foreach (int n in ne)
        {
            w.Write(n);
            elements *= n;
        }

        w.Write(nameBytes);
        w.Write(new byte[elements * sizeof(float)]);
    }

    /// <summary>The file's first bytes, for tests that check the layout.</summary>
    public static uint ReadMagic(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using var f = File.OpenRead(path);
        f.ReadExactly(head);
        return BinaryPrimitives.ReadUInt32LittleEndian(head);
    }
}
