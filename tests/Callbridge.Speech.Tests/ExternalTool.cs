using System.Diagnostics;

namespace Callbridge.Speech.Tests;

/// <summary>Runs a Debian program and captures its output; a missing program fails naming its package.</summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static async Task<Result> RunAsync(string program, string debianPackage, params string[] args)
    {
        string? path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(':')
            .Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);
        Assert.True(path is not null, $"'{program}' is not installed: install the Debian package '{debianPackage}'.");
        var psi = new ProcessStartInfo(path!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(psi)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().ConfigureAwait(false);
        return new Result(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    public static Result Run(string program, string debianPackage, params string[] args) =>
        RunAsync(program, debianPackage, args).GetAwaiter().GetResult();
}
