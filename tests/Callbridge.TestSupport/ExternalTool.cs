using System.Diagnostics;

namespace Callbridge.TestSupport;

/// <summary>
/// Runs a Debian program found on PATH and captures its output as bytes (raw PCM on stdout is common
/// here); a missing program fails naming the package to install. <see cref="ProgramRunner"/> is the
/// variant for programs at fixed paths with text output.
/// </summary>
public static class ExternalTool
{
    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr)
    {
        public string StdoutText => System.Text.Encoding.UTF8.GetString(Stdout);
    }

    /// <summary>Default limit: every program the tests run finishes in seconds; a hang fails instead of stalling the suite.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);

    public static Result Run(string program, string debianPackage, params string[] args) =>
        RunAsync(program, debianPackage, args, stdin: null, timeout: null).GetAwaiter().GetResult();

    public static Task<Result> RunAsync(string program, string debianPackage, params string[] args) =>
        RunAsync(program, debianPackage, args, stdin: null, timeout: null);

    public static Result Run(string program, string debianPackage, IEnumerable<string> args, string? stdin, TimeSpan? timeout = null) =>
        RunAsync(program, debianPackage, args, stdin, timeout).GetAwaiter().GetResult();

    public static async Task<Result> RunAsync(string program, string debianPackage, IEnumerable<string> args, string? stdin, TimeSpan? timeout)
    {
        ArgumentNullException.ThrowIfNull(args);
        string path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':')
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists)
            ?? throw new MissingProgramException(program, $"Debian package {debianPackage}");
        var psi = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (string arg in args) psi.ArgumentList.Add(arg);

        using Process process = Process.Start(psi)!;
        var stdout = new MemoryStream();
        Task copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin).ConfigureAwait(false);
            process.StandardInput.Close();
        }
        using var limit = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {(timeout ?? DefaultTimeout).TotalSeconds:0} s");
        }
        await copy.ConfigureAwait(false);
        return new Result(process.ExitCode, stdout.ToArray(), await stderr.ConfigureAwait(false));
    }
}
