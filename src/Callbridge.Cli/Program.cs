using Callbridge.ClientCaptions.Commands;
using Callbridge.FrameCrypto.Commands;
using Callbridge.Sip.Commands;
using Callbridge.Speech.Captions;

// Each area's command lives with its library (where its tests are); this program only routes.
const string Usage = """
    usage: callbridge <command> [arguments]

      sip parse [--raw] [--stream] < message     parse one SIP message; JSON on stdout, or why it is invalid (exit 2)
      e2ee jframe decrypt|encrypt ...            decrypt or encrypt one lib-jitsi-meet E2EE frame
      e2ee inspect --frame <hex>                 say whether a frame looks like JFrame, SFrame or clear media
      captions transcribe FILE.wav [--format text|vtt|json]
                                                 transcribe a WAV file with the shipped recognizer
      captions join --janus <url> --room <n> [--key-file F | --key-env [VAR] | --key-stdin] ...
                                                 client-side captions: join a conference as yourself, decrypt
                                                 its E2EE audio locally with the conference key, show captions
                                                 here and write WebVTT (the key never leaves this machine)

    'callbridge <command> --help' shows a command's own options.
    """;

string[] words = args;
TextWriter stdout = Console.Out, stderr = Console.Error;
try
{
    if (words is ["captions", "join", ..])
    {
        // Ctrl+C stops captioning cleanly: the last utterances get their finals and the WebVTT file is complete.
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        return await ClientCaptionsCommand.RunAsync(words[2..], Console.In, stdout, stderr, interactive: !Console.IsOutputRedirected, stop.Token);
    }

    return words switch
    {
        ["sip", "parse", ..] => SipParseCommand.Run(words[2..], Console.In, stdout, stderr),
        ["e2ee", ..] => E2eeCommand.Run(words[1..], stdout, stderr),
        ["captions", "transcribe", ..] => CaptionsTranscribeCommand.Run(words[2..], stdout, stderr),
        [] or ["-h"] or ["--help"] or ["help"] => Help(stdout),
        _ => Unknown(stderr, words),
    };
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException)
{
    stderr.WriteLine($"callbridge: {e.Message}");
    return 2;
}

static int Help(TextWriter stdout)
{
    stdout.WriteLine(Usage);
    return 0;
}

static int Unknown(TextWriter stderr, string[] words)
{
    stderr.WriteLine($"callbridge: unknown command '{string.Join(' ', words.Take(2))}'.");
    stderr.WriteLine(Usage);
    return 1;
}
