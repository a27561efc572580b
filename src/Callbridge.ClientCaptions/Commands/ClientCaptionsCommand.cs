using System.Globalization;
using Callbridge.Audio.Native;
using Callbridge.ClientCaptions.Keys;
using Callbridge.ClientCaptions.Rendering;
using Callbridge.Conference;
using Callbridge.Conference.Janus;
using Callbridge.Speech.PocketSphinx;
using Callbridge.Speech.Recognition;
using Callbridge.Speech.Whisper;

namespace Callbridge.ClientCaptions.Commands;

/// <summary>
/// <c>callbridge captions join ...</c>: client-side captions, run by a participant on their own machine.
/// Exit codes: 0 stopped normally, 1 usage error, 2 the key cannot be read, 3 the conference refused or is
/// unreachable, 4 the speech engine is unavailable.
/// </summary>
public static class ClientCaptionsCommand
{
    public const int ExitOk = 0;
    public const int ExitUsage = 1;
    public const int ExitKey = 2;
    public const int ExitConference = 3;
    public const int ExitEngine = 4;

    /// <summary>The environment variable read by <c>--key-env</c> when no name is given.</summary>
    public const string DefaultKeyVariable = "CALLBRIDGE_CONFERENCE_KEY";

    public const string Usage = """
        usage: captions join --janus <url> --room <number> [--name <display name>]
                             [--key-file <path> | --key-env [<VARIABLE>] | --key-stdin]
                             [--vtt <file.vtt>] [--duration <seconds>] [--speakers <n>] [--plain]
                             [--engine pocketsphinx | --engine whisper --model <ggml file>
                              [--whisper-worker <worker.js>] [--whisper-node-modules <dir>]]

          Client-side captions: joins the conference as you, decrypts the end-to-end encrypted audio with the
          conference key on this machine, shows live captions here (speaker: text) and writes them to a WebVTT file.
          It is what the meeting's notices call "client-side captions" when server captions are refused because
          the meeting is end-to-end encrypted. It also works in meetings without E2EE (no key needed).

          --janus <url>        the conference server's Janus HTTP API, e.g. https://meet.example.org/janus
          --room <number>      the conference (Janus VideoRoom room number)
          --name <name>        the name you appear under in the conference (default "Captions")
          --key-file <path>    read the conference key from a file; the file is re-read when it changes, so
                               a rotated key can be appended during the call
          --key-env [<VAR>]    read it from an environment variable (default CALLBRIDGE_CONFERENCE_KEY;
                               several keys separated by ';')
          --key-stdin          read it from standard input: the first key line, then one line per later key
          --vtt <file>         the WebVTT transcript (default captions-<room>-<UTC time>.vtt here)
          --duration <s>       stop after this many seconds (default: until Ctrl+C or the conference ends)
          --speakers <n>       speakers captioned at once (default 4; each recognizer takes about 90 MiB)
          --plain              plain lines only, even on a terminal (partial captions are then not shown)
          --engine <name>      pocketsphinx (default: in process, Debian pocketsphinx-en-us) or whisper
                               (whisper.cpp in a node worker; needs --model)
          --model <file>       the ggml Whisper model, e.g. ggml-base.en.bin (142 MiB); no package ships
                               one: download it with whisper.cpp's models/download-ggml-model.sh
          --whisper-worker <f> the worker script (default scripts/tools/whisper/worker.js, looked up from
                               here and from the program's folder upwards)
          --whisper-node-modules <dir>
                               the worker's node_modules when not beside it (e.g. .tools/whisper/node_modules)

          Key format: one key per line, [<key index>=]<hex> or [<key index>=]base64:<base64>, 16 to 64 bytes of
          the lib-jitsi-meet key material; the index defaults to 0. Lines starting with '#' are ignored.

          The key never leaves this process: it is not logged, not printed, not written to any file and not
          sent anywhere (the server only sees you join and receive media, as for any participant). Prefer
          --key-file (mode 600) or --key-stdin to a command-line argument, which other users could see.
        """;

    /// <summary>Runs the command against Janus and the chosen speech engine, as the CLI does.</summary>
    public static Task<int> RunAsync(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TextWriter stderr, bool interactive, CancellationToken cancellationToken) =>
        RunAsync(args, stdin, stdout, stderr, new CommandEnvironment { Interactive = interactive }, cancellationToken);

    internal static async Task<int> RunAsync(IReadOnlyList<string> args, TextReader stdin, TextWriter stdout, TextWriter stderr, CommandEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdin);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(environment);
        JoinArguments parsed;
        try
        {
            parsed = JoinArguments.Parse(args, environment.UtcNow());
        }
        catch (FormatException e)
        {
            stderr.WriteLine("captions join: " + e.Message);
            stderr.WriteLine(Usage);
            return ExitUsage;
        }

        if (parsed.Help)
        {
            stdout.WriteLine(Usage);
            return ExitOk;
        }

        ConferenceKeySource? keys = parsed.KeySource switch
        {
            KeySourceKind.File => ConferenceKeySource.FromFile(parsed.KeyFile!),
            KeySourceKind.Environment => ConferenceKeySource.FromEnvironment(parsed.KeyVariable!, environment.GetVariable),
            KeySourceKind.Stdin => ConferenceKeySource.FromReader(stdin),
            _ => null,
        };
        if (parsed.KeySource == KeySourceKind.File)
        {
            WarnIfReadableByOthers(parsed.KeyFile!, stderr);
        }

        var output = new CaptionTerminal(stdout, environment.Interactive && !parsed.Plain, environment.Width);
        var options = new ClientCaptionsOptions
        {
            ConferenceId = parsed.Room!,
            DisplayName = parsed.Name,
            WebVttPath = parsed.VttPath,
            Duration = parsed.Duration,
        };

        ISpeechEngine engine;
        try
        {
            engine = parsed.Engine == "whisper"
                ? await environment.CreateWhisperEngine(WhisperOptionsFor(parsed), cancellationToken).ConfigureAwait(false)
                : environment.CreateEngine(parsed.Speakers);
        }
        catch (Exception e) when (e is SpeechEngineException or NativeLibraryMissingException or WhisperEngineException)
        {
            stderr.WriteLine("captions join: speech engine unavailable: " + e.Message);
            return ExitEngine;
        }

        using (engine)
        {
            using var connector = environment.CreateConnector(parsed.Janus!);
            try
            {
                var result = await ClientCaptionsSession.RunAsync(connector.Connector, new StreamingRecognizer(engine), keys, options, output, environment.TimeProvider, cancellationToken).ConfigureAwait(false);
                foreach (var (participant, stats) in result.Speakers.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    output.Status(string.Create(CultureInfo.InvariantCulture,
                        $"Speaker {participant}: {stats.Decrypted} frame(s) decrypted, {stats.Clear} clear, {stats.Undecryptable} undecryptable."));
                }

                return ExitOk;
            }
            catch (KeySourceException e)
            {
                stderr.WriteLine("captions join: " + e.Message);
                return ExitKey;
            }
            catch (ConferenceException e)
            {
                stderr.WriteLine($"captions join: the conference is not available ({e.Kind}): {e.Message}");
                return ExitConference;
            }
        }
    }

    private static WhisperOptions WhisperOptionsFor(JoinArguments parsed)
    {
        string? worker = parsed.WhisperWorker ?? FindUpwards(Path.Combine("scripts", "tools", "whisper", "worker.js"));
        string? modules = parsed.WhisperNodeModules;
        if (modules is null && worker is not null)
        {
            // scripts/install-deps.sh installs the worker's packages in .tools/whisper at the repository root.
            string beside = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(worker)!, "..", "..", "..", ".tools", "whisper", "node_modules"));
            modules = Directory.Exists(beside) ? beside : null;
        }

        return new WhisperOptions
        {
            ModelPath = parsed.WhisperModel!,
            // A missing script is reported by the engine's start with the path it looked for.
            WorkerScript = worker ?? Path.Combine("scripts", "tools", "whisper", "worker.js"),
            NodeModulesDirectory = modules,
            MaxDecoders = parsed.Speakers,
        };
    }

    private static string? FindUpwards(string relative)
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (string? dir = start; dir is not null; dir = Path.GetDirectoryName(dir))
            {
                string candidate = Path.Combine(dir, relative);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static void WarnIfReadableByOthers(string path, TextWriter stderr)
    {
        if (OperatingSystem.IsWindows() || !File.Exists(path))
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
        {
            stderr.WriteLine($"captions join: warning: {path} can be read by other users; 'chmod 600 {path}' keeps the conference key yours.");
        }
    }

    /// <summary>What the command needs from its surroundings; tests replace the SFU and the engine.</summary>
    internal sealed class CommandEnvironment
    {
        public bool Interactive { get; init; }

        public Func<int> Width { get; init; } = static () => Console.IsOutputRedirected ? 80 : Math.Max(20, Console.WindowWidth);

        public Func<string, string?> GetVariable { get; init; } = Environment.GetEnvironmentVariable;

        public Func<DateTimeOffset> UtcNow { get; init; } = static () => DateTimeOffset.UtcNow;

        public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

        public Func<int, ISpeechEngine> CreateEngine { get; init; } = static speakers => new PocketSphinxEngine(new PocketSphinxOptions { MaxDecoders = speakers });

        public Func<WhisperOptions, CancellationToken, Task<WhisperEngine>> CreateWhisperEngine { get; init; } =
            static (options, cancellationToken) => WhisperEngine.StartAsync(options, cancellationToken: cancellationToken);

        public Func<Uri, ConnectorLease> CreateConnector { get; init; } = static janus =>
        {
            // Janus long polls hold a request up to 30 s: no client-side timeout on the shared HttpClient.
            var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            return new ConnectorLease(new JanusConferenceConnector(http, new JanusConferenceOptions { JanusUri = janus }), http);
        };
    }

    /// <summary>A connector and what must be disposed with it.</summary>
    internal sealed class ConnectorLease(IConferenceConnector connector, IDisposable? owned = null) : IDisposable
    {
        public IConferenceConnector Connector { get; } = connector;

        public void Dispose() => owned?.Dispose();
    }
}
