using System.Diagnostics;
using System.Text;

namespace Callbridge.Ffmpeg;

/// <summary>What a finished run printed.</summary>
internal sealed record ProgramOutput(int ExitCode, string StandardOutput, string StandardErrorTail);

/// <summary>Runs one program to completion with an argument list (never a shell line) and a time limit.</summary>
internal static class ProgramRun
{
    /// <summary>Keeps only the end of stderr: ffmpeg prints progress for the whole run, the reason of a failure is last.</summary>
    private const int StderrTailChars = 8 * 1024;

    public static async Task<ProgramOutput> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!File.Exists(program)) throw new FfmpegMissingException(program);
        var psi = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (string argument in arguments) psi.ArgumentList.Add(argument);

        using var process = new Process { StartInfo = psi };
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.AppendLine(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
                if (stderr.Length > 2 * StderrTailChars) stderr.Remove(0, stderr.Length - StderrTailChars);
            }
        };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new FfmpegException(FfmpegFailure.TimedOut, program, -1, Tail(stderr),
                $"{Path.GetFileName(program)} did not finish within {timeout.TotalSeconds:0.#} s and was killed.");
        }
        // The parameterless wait also drains the asynchronous readers.
        process.WaitForExit();
        string tail = Tail(stderr);
        if (process.ExitCode != 0)
        {
            throw new FfmpegException(FfmpegFailure.ExitCode, program, process.ExitCode, tail,
                $"{Path.GetFileName(program)} exited with {process.ExitCode}: {LastLine(tail)}");
        }
        return new ProgramOutput(process.ExitCode, stdout.ToString(), tail);
    }

    private static string Tail(StringBuilder stderr)
    {
        lock (stderr)
        {
            return stderr.Length <= StderrTailChars ? stderr.ToString() : stderr.ToString(stderr.Length - StderrTailChars, StderrTailChars);
        }
    }

    private static string LastLine(string text)
    {
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : lines[^1];
    }
}
