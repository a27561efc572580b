using System.Diagnostics;
using System.Text.Json;
using Callbridge.TestSupport;
using Callbridge.TestSupport.Media;

namespace Callbridge.Cli.Tests;

/// <summary>The operator CLI as an operator runs it: the built program, stdin, stdout, stderr, exit codes.</summary>
public sealed class CliTests
{
    private static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "callbridge.dll");

    private static readonly string Vectors = Path.Combine(
        Environment.GetEnvironmentVariable("CALLBRIDGE_SHARED_DIR") ?? Path.Combine(TestEnvironment.RepoRoot, "..", "shared"), "vectors");

    internal static async Task<(int Exit, string Out, string Err)> RunAsync(string? stdin, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(CliDll);
        foreach (string a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Sip_parse_prints_the_structure_of_a_torture_message_and_refuses_a_bad_version()
    {
        var (exit, output, _) = await RunAsync(await File.ReadAllTextAsync(Path.Combine(Vectors, "rfc4475", "wsinv.dat")), "sip", "parse");
        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("INVITE", json.RootElement.GetProperty("method").GetString());
        Assert.Equal("vivekg", json.RootElement.GetProperty("requestUri").GetProperty("user").GetString());

        var (badExit, badOut, badErr) = await RunAsync(await File.ReadAllTextAsync(Path.Combine(Vectors, "rfc4475", "badvers.dat")), "sip", "parse");
        Assert.Equal(2, badExit);
        Assert.Empty(badOut);
        Assert.Contains("505", badErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task E2ee_jframe_decrypts_a_lib_jitsi_meet_vector_and_explains_a_wrong_key()
    {
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Vectors, "jframe-vectors.json")));
        JsonElement vector = doc.RootElement.GetProperty("vectors")[0];
        JsonElement frame = vector.GetProperty("frames")[0];
        string key = "0=" + vector.GetProperty("receiver_key_material").GetString();

        var (exit, output, _) = await RunAsync(null, "e2ee", "jframe", "decrypt", "--key", key, "audio", "--frame", frame.GetProperty("encrypted_frame").GetString()!);
        Assert.Equal(0, exit);
        Assert.Equal(frame.GetProperty("plaintext_frame").GetString(), output.Trim());

        var (wrongExit, wrongOut, wrongErr) = await RunAsync(null, "e2ee", "jframe", "decrypt", "--key", "0=" + new string('a', 64), "audio", "--frame", frame.GetProperty("encrypted_frame").GetString()!);
        Assert.Equal(2, wrongExit);
        Assert.Empty(wrongOut);
        Assert.Contains("Authentication", wrongErr, StringComparison.OrdinalIgnoreCase);

        var (inspectExit, inspectOut, _) = await RunAsync(null, "e2ee", "inspect", "--frame", frame.GetProperty("encrypted_frame").GetString()!);
        Assert.Equal(0, inspectExit);
        Assert.Contains("JFrame", inspectOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Captions_transcribe_prints_what_flite_said()
    {
        string folder = TestEnvironment.NewFolder("cli-captions");
        string wav = await SpeechSynth.WriteWavAsync("the weather is nice today", FliteVoice.Slt, 16000, folder);
        var (exit, output, error) = await RunAsync(null, "captions", "transcribe", wav);
        Assert.True(exit == 0, error);
        string[] heard = output.ToLowerInvariant().Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        int matched = new[] { "weather", "nice", "today" }.Count(w => heard.Contains(w));
        Assert.True(matched >= 2, $"transcript: {output}");

        var (badExit, _, badErr) = await RunAsync(null, "captions", "transcribe", Path.Combine(folder, "missing.wav"));
        Assert.Equal(2, badExit);
        Assert.Contains("missing.wav", badErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Captions_join_explains_itself_and_refuses_a_key_on_the_command_line_or_a_missing_key()
    {
        var (helpExit, help, _) = await RunAsync(null, "captions", "join", "--help");
        Assert.Equal(0, helpExit);
        Assert.Contains("--key-file <path>", help, StringComparison.Ordinal);
        Assert.Contains("not logged", help, StringComparison.Ordinal);

        const string Key = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
        var (keyExit, keyOut, keyErr) = await RunAsync(null, "captions", "join", "--janus", "http://127.0.0.1:9/janus", "--room", "1234", "--key", Key);
        Assert.Equal(1, keyExit);
        Assert.Empty(keyOut);
        Assert.Contains("never taken on the command line", keyErr, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, keyErr, StringComparison.Ordinal);

        // A bad key on stdin stops before anything is joined: exit 2, the line named, its text not repeated.
        var (badExit, _, badErr) = await RunAsync("0=" + Key[..40] + "zz\n", "captions", "join", "--janus", "http://127.0.0.1:9/janus", "--room", "1234", "--key-stdin");
        Assert.Equal(2, badExit);
        Assert.Contains("standard input, line 1", badErr, StringComparison.Ordinal);
        Assert.DoesNotContain(Key[..40], badErr, StringComparison.Ordinal);

        var (_, _, usage) = await RunAsync(null, "fax", "send");
        Assert.Contains("captions join --janus", usage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_command_prints_usage_and_exits_1()
    {
        var (exit, _, error) = await RunAsync(null, "fax", "send");
        Assert.Equal(1, exit);
        Assert.Contains("usage: callbridge", error, StringComparison.Ordinal);
    }
}
