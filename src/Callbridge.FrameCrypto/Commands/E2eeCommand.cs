using System.Globalization;
using Callbridge.FrameCrypto.Classification;
using Callbridge.FrameCrypto.JFrame;

namespace Callbridge.FrameCrypto.Commands;

/// <summary>
/// The operator's <c>callbridge e2ee ...</c> commands: JFrame decrypt and encrypt of single frames, and the
/// keyless inspection the media core's detector uses. Exit codes: 0 success, 2 usage error or dropped frame.
/// </summary>
public static class E2eeCommand
{
    public const int ExitOk = 0;
    public const int ExitFailure = 2;

    public const string Usage = """
        usage:
          e2ee jframe decrypt --key <index>=<material hex> [--key ...] [--shared-key] <audio|video-key|video-delta> --frame <hex>
              prints the plaintext frame as lower-case hex; exit 2 with the drop reason when it cannot be decrypted.
              Keys are stored in slot index % 16 in the order given; the last one is the current key.
          e2ee jframe encrypt --key <index>=<material hex> [--shared-key] --ssrc <n> --timestamp <n> --counter <n>
                              <audio|video-key|video-delta> [--plaintext] <hex>
              prints the JFrame (clear prefix | ciphertext | tag | IV | 0c | slot) as lower-case hex.
          e2ee inspect --frame <hex> [--kind audio|video]
              says whether the frame looks like a JFrame, an SFrame or clear Opus/VP8, and why.
        numbers are decimal or 0x-prefixed hex; --shared-key takes the AES key itself (no HKDF, no ratchet).
        """;

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var list = args.Count > 0 && args[0] == "e2ee" ? args.Skip(1).ToList() : args.ToList();
        try
        {
            return list switch
            {
                ["jframe", "decrypt", .. var rest] => Decrypt(Options.Parse(rest), stdout, stderr),
                ["jframe", "encrypt", .. var rest] => Encrypt(Options.Parse(rest), stdout, stderr),
                ["inspect", .. var rest] => Inspect(Options.Parse(rest), stdout),
                _ => UsageError(stderr, list.Count == 0 ? "missing command" : $"unknown command '{string.Join(' ', list.Take(2))}'"),
            };
        }
        catch (UsageException e)
        {
            return UsageError(stderr, e.Message);
        }
    }

    private static int Decrypt(Options o, TextWriter stdout, TextWriter stderr)
    {
        var kind = o.RequireKind();
        var frame = o.RequireHex("--frame");
        using var context = o.BuildContext(initialCounter: 0);
        var output = new byte[frame.Length];
        var result = context.Decrypt(kind, frame, output);
        if (!result.Success)
        {
            stderr.WriteLine($"dropped: {result.DropReason} ({Explain(result.DropReason)}); decrypt attempts: {result.Attempts}");
            return ExitFailure;
        }

        stdout.WriteLine(Convert.ToHexStringLower(output.AsSpan(0, result.BytesWritten)));
        if (result.RatchetSteps > 0)
        {
            stderr.WriteLine($"decrypted after {result.RatchetSteps} ratchet step(s) of slot {frame[^1]}");
        }

        return ExitOk;
    }

    private static int Encrypt(Options o, TextWriter stdout, TextWriter stderr)
    {
        var kind = o.RequireKind();
        uint ssrc = o.RequireUInt32("--ssrc");
        uint timestamp = o.RequireUInt32("--timestamp");
        uint counter = o.RequireUInt32("--counter");
        var plaintext = o.Values.TryGetValue("--plaintext", out _) ? o.RequireHex("--plaintext") : o.RequirePositionalHex();
        if (o.Keys.Count == 0)
        {
            throw new UsageException("missing --key");
        }

        using var context = o.BuildContext(counter);
        var output = new byte[plaintext.Length + JFrameContext.Overhead];
        var status = context.Encrypt(kind, ssrc, timestamp, plaintext, output, out int written);
        if (status != JFrameEncryptStatus.Success)
        {
            stderr.WriteLine($"not encrypted: {status}");
            return ExitFailure;
        }

        stdout.WriteLine(Convert.ToHexStringLower(output.AsSpan(0, written)));
        return ExitOk;
    }

    private static int Inspect(Options o, TextWriter stdout)
    {
        var frame = o.RequireHex("--frame");
        var kind = o.Values.TryGetValue("--kind", out var k)
            ? k switch
            {
                "audio" => MediaKind.Audio,
                "video" or "video-key" or "video-delta" => MediaKind.Video,
                _ => throw new UsageException($"--kind must be audio or video, not '{k}'"),
            }
            : MediaKind.Unknown;
        var c = FrameClassifier.Classify(frame, kind);
        stdout.WriteLine($"{c.Likely.ToString().ToLowerInvariant()}: {frame.Length} bytes");
        stdout.WriteLine(c.Describe());
        stdout.WriteLine("note: one frame is evidence, not proof; the media core decides over a run of frames.");
        return ExitOk;
    }

    private static string Explain(JFrameDropReason reason) => reason switch
    {
        JFrameDropReason.TooShort => "shorter than clear prefix + 16-byte tag + 14-byte trailer",
        JFrameDropReason.UnknownKeySlot => "no key in the slot named by the last byte",
        JFrameDropReason.BadIvLength => "IV-length byte is not 12",
        JFrameDropReason.AuthenticationFailed => "GCM tag check failed with the key and 8 ratchet steps",
        _ => reason.ToString(),
    };

    private static int UsageError(TextWriter stderr, string message)
    {
        stderr.WriteLine("error: " + message);
        stderr.WriteLine(Usage);
        return ExitFailure;
    }

    private sealed class UsageException(string message) : Exception(message);

    /// <summary>Parsed options: repeated --key, single-valued options, flags, positionals.</summary>
    private sealed class Options
    {
        private static readonly HashSet<string> ValueOptions = ["--frame", "--ssrc", "--timestamp", "--counter", "--plaintext", "--kind"];

        public List<(int Index, byte[] Material)> Keys { get; } = [];

        public Dictionary<string, string> Values { get; } = [];

        public List<string> Positionals { get; } = [];

        public bool SharedKey { get; private set; }

        public static Options Parse(IReadOnlyList<string> args)
        {
            var o = new Options();
            for (int i = 0; i < args.Count; i++)
            {
                string a = args[i];
                if (a == "--shared-key")
                {
                    o.SharedKey = true;
                }
                else if (a == "--key")
                {
                    string value = NextValue(args, ref i, a);
                    int eq = value.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0 || !int.TryParse(value.AsSpan(0, eq), NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                    {
                        throw new UsageException($"--key takes <index>=<hex>, not '{value}'");
                    }

                    o.Keys.Add((index, ParseHex("--key", value[(eq + 1)..])));
                }
                else if (ValueOptions.Contains(a))
                {
                    if (!o.Values.TryAdd(a, NextValue(args, ref i, a)))
                    {
                        throw new UsageException($"{a} given twice");
                    }
                }
                else if (a.StartsWith("--", StringComparison.Ordinal))
                {
                    throw new UsageException($"unknown option '{a}'");
                }
                else
                {
                    o.Positionals.Add(a);
                }
            }

            return o;
        }

        public JFrameKind RequireKind()
        {
            var words = Positionals.Where(IsKindWord).ToList();
            if (Values.TryGetValue("--kind", out var fromOption))
            {
                words.Add(fromOption);
            }

            if (words.Count != 1)
            {
                throw new UsageException("give exactly one frame kind: audio, video-key or video-delta");
            }

            Positionals.Remove(words[0]);
            return words[0] switch
            {
                "audio" => JFrameKind.Audio,
                "video-key" => JFrameKind.VideoKey,
                "video-delta" => JFrameKind.VideoDelta,
                var other => throw new UsageException($"unknown frame kind '{other}'"),
            };
        }

        public byte[] RequireHex(string option) =>
            Values.TryGetValue(option, out var value) ? ParseHex(option, value) : throw new UsageException($"missing {option}");

        public byte[] RequirePositionalHex() => Positionals.Count == 1
            ? ParseHex("plaintext", Positionals[0])
            : throw new UsageException("give the plaintext frame as one hex argument (or --plaintext <hex>)");

        public uint RequireUInt32(string option)
        {
            if (!Values.TryGetValue(option, out var text))
            {
                throw new UsageException($"missing {option}");
            }

            bool ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint value)
                : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
            return ok ? value : throw new UsageException($"{option} must be a 32-bit unsigned number, not '{text}'");
        }

        public JFrameContext BuildContext(uint initialCounter)
        {
            if (Keys.Count == 0)
            {
                throw new UsageException("missing --key");
            }

            var context = new JFrameContext(SharedKey, () => initialCounter);
            try
            {
                foreach (var (index, material) in Keys)
                {
                    if (SharedKey && material.Length is not (16 or 24 or 32))
                    {
                        throw new UsageException("--shared-key keys are AES keys of 16, 24 or 32 bytes");
                    }

                    if (material.Length == 0)
                    {
                        throw new UsageException("--key material is empty");
                    }

                    context.SetKey(material, index);
                }

                return context;
            }
            catch
            {
                context.Dispose();
                throw;
            }
        }

        private static bool IsKindWord(string s) => s is "audio" or "video-key" or "video-delta";

        private static string NextValue(IReadOnlyList<string> args, ref int i, string option) =>
            ++i < args.Count ? args[i] : throw new UsageException($"{option} needs a value");

        private static byte[] ParseHex(string what, string hex)
        {
            try
            {
                return Convert.FromHexString(hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex[2..] : hex);
            }
            catch (FormatException)
            {
                throw new UsageException($"{what}: not hex: '{hex}'");
            }
        }
    }
}
