using System.Globalization;

namespace Callbridge.ClientCaptions.Commands;

/// <summary>The parsed arguments of <c>captions join</c>; <see cref="FormatException"/> messages name the problem.</summary>
internal sealed record JoinArguments
{
    public bool Help { get; init; }

    public Uri? Janus { get; init; }

    public string? Room { get; init; }

    public string Name { get; init; } = "Captions";

    public KeySourceKind KeySource { get; init; }

    public string? KeyFile { get; init; }

    public string? KeyVariable { get; init; }

    public string? VttPath { get; init; }

    public TimeSpan? Duration { get; init; }

    public int Speakers { get; init; } = 4;

    public bool Plain { get; init; }

    /// <summary>"pocketsphinx" (the default, in process) or "whisper" (a worker process and a ggml model).</summary>
    public string Engine { get; init; } = "pocketsphinx";

    public string? WhisperModel { get; init; }

    public string? WhisperWorker { get; init; }

    public string? WhisperNodeModules { get; init; }

    public static JoinArguments Parse(IReadOnlyList<string> args, DateTimeOffset now)
    {
        var result = new JoinArguments();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    throw new FormatException($"{arg} needs a value.");
                }

                return args[++i];
            }

            switch (arg)
            {
                case "-h" or "--help":
                    return new JoinArguments { Help = true };
                case "--janus":
                    string janus = Value();
                    result = result with
                    {
                        Janus = Uri.TryCreate(janus, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                            ? uri
                            : throw new FormatException($"--janus must be an http(s) URL, not '{janus}'."),
                    };
                    break;
                case "--room":
                    string room = Value();
                    result = result with
                    {
                        Room = long.TryParse(room, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n > 0
                            ? room
                            : throw new FormatException($"--room must be a positive room number, not '{room}'."),
                    };
                    break;
                case "--name":
                    result = result with { Name = Value() };
                    break;
                case "--key-file":
                    result = WithKey(result, KeySourceKind.File) with { KeyFile = Value() };
                    break;
                case "--key-env":
                    string variable = i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : ClientCaptionsCommand.DefaultKeyVariable;
                    result = WithKey(result, KeySourceKind.Environment) with { KeyVariable = variable };
                    break;
                case "--key-stdin":
                    result = WithKey(result, KeySourceKind.Stdin);
                    break;
                case "--key":
                    // A key on the command line is visible to every user of the machine (ps, /proc): refused.
                    throw new FormatException("the conference key is never taken on the command line (other users could read it there); use --key-file, --key-env or --key-stdin.");
                case "--vtt":
                    result = result with { VttPath = Value() };
                    break;
                case "--duration":
                    string seconds = Value();
                    result = result with
                    {
                        Duration = double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0 && s < TimeSpan.MaxValue.TotalSeconds
                            ? TimeSpan.FromSeconds(s)
                            : throw new FormatException($"--duration must be a positive number of seconds, not '{seconds}'."),
                    };
                    break;
                case "--speakers":
                    string speakers = Value();
                    result = result with
                    {
                        Speakers = int.TryParse(speakers, NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k is > 0 and <= 32
                            ? k
                            : throw new FormatException($"--speakers must be 1 to 32, not '{speakers}'."),
                    };
                    break;
                case "--plain":
                    result = result with { Plain = true };
                    break;
                case "--engine":
                    string engine = Value();
                    result = result with
                    {
                        Engine = engine is "pocketsphinx" or "whisper" ? engine : throw new FormatException($"--engine must be pocketsphinx or whisper, not '{engine}'."),
                    };
                    break;
                case "--model":
                    result = result with { WhisperModel = Value() };
                    break;
                case "--whisper-worker":
                    result = result with { WhisperWorker = Value() };
                    break;
                case "--whisper-node-modules":
                    result = result with { WhisperNodeModules = Value() };
                    break;
                default:
                    throw new FormatException($"unknown argument '{arg}'.");
            }
        }

        if (result.Janus is null)
        {
            throw new FormatException("--janus is required.");
        }

        if (result.Room is null)
        {
            throw new FormatException("--room is required.");
        }

        if (result.Engine == "whisper" && result.WhisperModel is null)
        {
            throw new FormatException("--engine whisper needs --model <ggml file> (e.g. ggml-base.en.bin).");
        }

        if (result.Engine != "whisper" && (result.WhisperModel ?? result.WhisperWorker ?? result.WhisperNodeModules) is not null)
        {
            throw new FormatException("--model, --whisper-worker and --whisper-node-modules go with --engine whisper.");
        }

        return result.VttPath is null
            ? result with { VttPath = string.Create(CultureInfo.InvariantCulture, $"captions-{result.Room}-{now.UtcDateTime:yyyyMMdd-HHmmss}.vtt") }
            : result;
    }

    private static JoinArguments WithKey(JoinArguments current, KeySourceKind kind) =>
        current.KeySource == KeySourceKind.None
            ? current with { KeySource = kind }
            : throw new FormatException("give the conference key one way only: --key-file, --key-env or --key-stdin.");
}
