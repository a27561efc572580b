using System.Globalization;
using System.Text;
using System.Text.Json;
using Callbridge.Audio.Wav;
using Callbridge.Speech.PocketSphinx;
using Callbridge.Speech.Recognition;

namespace Callbridge.Speech.Captions;

/// <summary>
/// <c>captions transcribe FILE.wav [--format text|vtt|json]</c>: transcribes a 16-bit PCM WAV (any rate,
/// any channel count) with the in-process PocketSphinx engine and prints the final results with their
/// timings. Exit codes: 0 success, 1 usage error, 2 unreadable or unsupported file, 3 speech engine
/// unavailable.
/// </summary>
public static class CaptionsTranscribeCommand
{
    public const int ExitOk = 0;
    public const int ExitUsage = 1;
    public const int ExitBadFile = 2;
    public const int ExitEngine = 3;

    private const string Usage = "usage: captions transcribe FILE.wav [--format text|vtt|json]";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr) =>
        Run(args, stdout, stderr, static () => new PocketSphinxEngine(new PocketSphinxOptions { MaxDecoders = 1 }));

    internal static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, Func<ISpeechEngine> engineFactory)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        string? file = null;
        string format = "text";
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg is "--format" or "-f")
            {
                if (i + 1 >= args.Count)
                {
                    stderr.WriteLine("captions transcribe: --format needs a value (text, vtt or json).");
                    return ExitUsage;
                }

                format = args[++i];
            }
            else if (arg.StartsWith("--format=", StringComparison.Ordinal))
            {
                format = arg["--format=".Length..];
            }
            else if (arg is "-h" or "--help")
            {
                stdout.WriteLine(Usage);
                return ExitOk;
            }
            else if (arg.StartsWith('-'))
            {
                stderr.WriteLine($"captions transcribe: unknown option '{arg}'.");
                stderr.WriteLine(Usage);
                return ExitUsage;
            }
            else if (file is null)
            {
                file = arg;
            }
            else
            {
                stderr.WriteLine($"captions transcribe: unexpected argument '{arg}'.");
                return ExitUsage;
            }
        }

        if (file is null)
        {
            stderr.WriteLine(Usage);
            return ExitUsage;
        }

        if (format is not ("text" or "vtt" or "json"))
        {
            stderr.WriteLine($"captions transcribe: unknown format '{format}' (expected text, vtt or json).");
            return ExitUsage;
        }

        WavReader? reader;
        try
        {
            WavError error = WavReader.TryOpen(File.OpenRead(file), leaveOpen: false, out reader);
            if (error != WavError.None)
            {
                stderr.WriteLine($"captions transcribe: '{file}' is not a 16-bit PCM WAV file ({error}).");
                return ExitBadFile;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"captions transcribe: cannot read '{file}': {ex.Message}");
            return ExitBadFile;
        }

        using (reader)
        {
            IReadOnlyList<RecognitionResult> results;
            try
            {
                using ISpeechEngine engine = engineFactory();
                var recognizer = new StreamingRecognizer(engine);
                results = Task.Run(() => WavTranscriber.TranscribeAsync(reader!, recognizer, Path.GetFileNameWithoutExtension(file)))
                    .GetAwaiter().GetResult();
            }
            catch (SpeechEngineException ex)
            {
                stderr.WriteLine($"captions transcribe: speech engine unavailable: {ex.Message}");
                return ExitEngine;
            }
            catch (Callbridge.Audio.Native.NativeLibraryMissingException ex)
            {
                stderr.WriteLine($"captions transcribe: {ex.Message}");
                return ExitEngine;
            }

            var finals = results.Where(r => r.IsFinal && r.Text.Length > 0).ToList();
            switch (format)
            {
                case "vtt":
                    var vtt = new WebVttWriter(stdout);
                    foreach (RecognitionResult r in finals)
                    {
                        vtt.WriteCue(r.Start, r.End, r.Text);
                    }

                    break;
                case "json":
                    stdout.WriteLine(ToJson(file, finals));
                    break;
                default:
                    foreach (RecognitionResult r in finals)
                    {
                        string confidence = r.Confidence is double c ? string.Create(CultureInfo.InvariantCulture, $" ({c:0.00})") : string.Empty;
                        stdout.WriteLine($"[{WebVttWriter.FormatTimestamp(r.Start)} --> {WebVttWriter.FormatTimestamp(r.End)}] {r.Text}{confidence}");
                    }

                    break;
            }

            stdout.Flush();
            return ExitOk;
        }
    }

    private static string ToJson(string file, IReadOnlyList<RecognitionResult> finals)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("file", file);
            json.WriteString("engine", "pocketsphinx");
            json.WriteStartArray("segments");
            foreach (RecognitionResult r in finals)
            {
                json.WriteStartObject();
                json.WriteNumber("start", Math.Round(r.Start.TotalSeconds, 3));
                json.WriteNumber("end", Math.Round(r.End.TotalSeconds, 3));
                json.WriteString("text", r.Text);
                if (r.Confidence is double c)
                {
                    json.WriteNumber("confidence", Math.Round(c, 4));
                }
                else
                {
                    json.WriteNull("confidence");
                }

                json.WriteString("reason", r.Reason.ToString());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
