using System.Diagnostics;

namespace Callbridge.FrameCrypto.Tests.Support;

/// <summary>Runs a Debian program; a missing one fails the test naming the package to install.</summary>
internal static class ExternalProcess
{
    public static (int ExitCode, string Stdout, string Stderr) Run(string program, string debianPackage, IEnumerable<string> arguments, string? stdin = null, TimeSpan? timeout = null)
    {
        var path = Which(program) ?? throw new InvalidOperationException($"'{program}' not found on PATH: install the Debian package '{debianPackage}'.");
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }

        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish");
        }

        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
