using System.Text.Json;
using Callbridge.FrameCrypto.Commands;
using Callbridge.FrameCrypto.Tests.JFrame;
using Callbridge.FrameCrypto.Tests.Support;

namespace Callbridge.FrameCrypto.Tests.Commands;

public sealed class E2eeCommandTests
{
    private const string K0 = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    public static TheoryData<string> PositiveNames() => JFrameVectors.PositiveNames();

    [Theory]
    [MemberData(nameof(PositiveNames))]
    public void Encrypt_then_decrypt_reproduce_every_vector_frame(string name)
    {
        var v = JFrameVectors.Positive(name);
        bool shared = v.TryGetProperty("shared_key_mode", out var s) && s.GetBoolean();
        string senderKey = shared ? v.GetProperty("aes_gcm_key").GetString()! : v.GetProperty("sender_key_material").GetString()!;
        string index = v.GetProperty("sender_set_key_index").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] sharedFlag = shared ? ["--shared-key"] : [];
        foreach (var f in v.GetProperty("frames").EnumerateArray())
        {
            string kind = KindWord(f);
            var (code, stdout, stderr) = Run(["e2ee", "jframe", "encrypt", "--key", $"{index}={senderKey}", .. sharedFlag,
                "--ssrc", f.GetProperty("ssrc").GetUInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--timestamp", f.GetProperty("rtp_timestamp").GetUInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--counter", f.GetProperty("send_counter_before_mod").GetUInt32().ToString(System.Globalization.CultureInfo.InvariantCulture),
                kind, f.GetProperty("plaintext_frame").GetString()!]);
            Assert.Equal(0, code);
            Assert.Equal(string.Empty, stderr);
            Assert.Equal(f.GetProperty("encrypted_frame").GetString(), stdout.Trim());

            // The receiver ring of the vector (or the shared key), in slot order with the current one last.
            var keys = new List<string>();
            if (shared)
            {
                keys.AddRange(["--shared-key", "--key", $"{index}={senderKey}"]);
            }
            else
            {
                var ring = v.GetProperty("receiver_ring_before");
                int current = ring.GetProperty("current_key_index").GetInt32();
                foreach (var slot in ring.GetProperty("slots_material_hex").EnumerateObject().OrderBy(p => p.Name == current.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                {
                    keys.AddRange(["--key", $"{slot.Name}={slot.Value.GetString()}"]);
                }
            }

            (code, stdout, _) = Run(["jframe", "decrypt", .. keys, "--kind", kind, "--frame", f.GetProperty("encrypted_frame").GetString()!]);
            Assert.Equal(0, code);
            Assert.Equal(f.GetProperty("plaintext_frame").GetString(), stdout.Trim());
        }
    }

    [Fact]
    public void Decrypt_of_a_tampered_frame_exits_2_with_the_reason()
    {
        var neg = JFrameVectors.Negative("tampered_gcm_tag");
        var (code, stdout, stderr) = Run(["jframe", "decrypt", "--key", "0=" + K0, "audio", "--frame", neg.GetProperty("input_frame").GetString()!]);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("AuthenticationFailed", stderr, StringComparison.Ordinal);
        Assert.Contains("attempts: 9", stderr, StringComparison.Ordinal);

        (code, _, stderr) = Run(["jframe", "decrypt", "--key", "0=" + K0, "audio", "--frame", JFrameVectors.Negative("wrong_key_index_empty_slot").GetProperty("input_frame").GetString()!]);
        Assert.Equal(2, code);
        Assert.Contains("UnknownKeySlot", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_reports_a_ratchet_on_stderr_and_plaintext_on_stdout()
    {
        var frame = JFrameVectors.Positive("receiver_ratchets_forward_1_step").GetProperty("frames")[0];
        var (code, stdout, stderr) = Run(["jframe", "decrypt", "--key", "0=" + K0, "audio", "--frame", frame.GetProperty("encrypted_frame").GetString()!]);
        Assert.Equal(0, code);
        Assert.Equal(frame.GetProperty("plaintext_frame").GetString(), stdout.Trim());
        Assert.Contains("1 ratchet step", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "missing command")]
    [InlineData(new[] { "jframe", "frobnicate" }, "unknown command")]
    [InlineData(new[] { "jframe", "decrypt", "audio", "--frame", "00" }, "missing --key")]
    [InlineData(new[] { "jframe", "decrypt", "--key", "0=zz", "audio", "--frame", "00" }, "not hex")]
    [InlineData(new[] { "jframe", "decrypt", "--key", "x=00", "audio", "--frame", "00" }, "--key takes")]
    [InlineData(new[] { "jframe", "decrypt", "--key", "0=00", "--frame", "00" }, "frame kind")]
    [InlineData(new[] { "jframe", "decrypt", "--key", "0=00", "audio" }, "missing --frame")]
    [InlineData(new[] { "jframe", "encrypt", "--key", "0=00", "audio", "--ssrc", "1", "--timestamp", "1", "--counter", "-1", "78" }, "--counter must be")]
    [InlineData(new[] { "jframe", "encrypt", "--key", "0=00", "audio", "--ssrc", "1", "--timestamp", "1", "78" }, "missing --counter")]
    [InlineData(new[] { "jframe", "encrypt", "--key", "0=00", "--shared-key", "audio", "--ssrc", "1", "--timestamp", "1", "--counter", "1", "78" }, "AES keys of 16")]
    [InlineData(new[] { "inspect" }, "missing --frame")]
    [InlineData(new[] { "inspect", "--frame", "00", "--bogus" }, "unknown option")]
    public void Usage_errors_exit_2_with_usage_on_stderr(string[] args, string message)
    {
        var (code, stdout, stderr) = Run(args);
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        Assert.Contains("usage:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Encrypt_accepts_hex_numbers_and_plaintext_option()
    {
        var f = JFrameVectors.Positive("opus_two_frames_key0").GetProperty("frames")[0];
        var (code, stdout, _) = Run(["jframe", "encrypt", "--key", "0=" + K0, "--kind", "audio", "--ssrc", "0x11223344", "--timestamp", "12345678",
            "--counter", "0x1234", "--plaintext", f.GetProperty("plaintext_frame").GetString()!]);
        Assert.Equal(0, code);
        Assert.Equal(f.GetProperty("encrypted_frame").GetString(), stdout.Trim());
    }

    [Fact]
    public void Inspect_names_jframe_clear_and_sframe_frames()
    {
        var f = JFrameVectors.Positive("opus_two_frames_key0").GetProperty("frames")[0];
        var (code, stdout, _) = Run(["inspect", "--kind", "audio", "--frame", f.GetProperty("encrypted_frame").GetString()!]);
        Assert.Equal(0, code);
        Assert.StartsWith("jframe:", stdout, StringComparison.Ordinal);
        Assert.Contains("key slot 0", stdout, StringComparison.Ordinal);

        (code, stdout, _) = Run(["inspect", "--kind", "audio", "--frame", f.GetProperty("plaintext_frame").GetString()!]);
        Assert.Equal(0, code);
        Assert.StartsWith("clear:", stdout, StringComparison.Ordinal);

        var vp8Key = JFrameVectors.Positive("vp8_keyframe_then_delta_key0").GetProperty("frames")[0].GetProperty("plaintext_frame").GetString()!;
        // The vector's VP8 frame is a truncated synthetic one: its first_part_size (291) overruns it.
        (_, stdout, _) = Run(["inspect", "--frame", vp8Key]);
        Assert.Contains("vp8: malformed (BadPartitionSize)", stdout, StringComparison.Ordinal);
        (_, stdout, _) = Run(["inspect", "--kind", "video", "--frame", "5000009d012a8002e001" + new string('a', 40)]);
        Assert.StartsWith("clear:", stdout, StringComparison.Ordinal);
        Assert.Contains("start code 9d 01 2a", stdout, StringComparison.Ordinal);

        using var doc = SharedFiles.LoadVectors("sframe-rfc9605.json");
        foreach (var v in doc.RootElement.GetProperty("sframe").EnumerateArray())
        {
            (code, stdout, _) = Run(["inspect", "--frame", v.GetProperty("ct").GetString()!]);
            Assert.Equal(0, code);
            Assert.StartsWith("sframe:", stdout, StringComparison.Ordinal);
            Assert.Contains("KID 291, CTR 17767", stdout, StringComparison.Ordinal);
        }
    }

    private static string KindWord(JsonElement frame) => JFrameVectors.KindOfFrame(frame) switch
    {
        Callbridge.FrameCrypto.JFrame.JFrameKind.VideoKey => "video-key",
        Callbridge.FrameCrypto.JFrame.JFrameKind.VideoDelta => "video-delta",
        _ => "audio",
    };

    private static (int Code, string Stdout, string Stderr) Run(string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int code = E2eeCommand.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }
}
