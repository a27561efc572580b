namespace Callbridge.Ffmpeg;

/// <summary>Why a run failed, as the caller can act on it.</summary>
public enum FfmpegFailure
{
    /// <summary>The program exited with a non-zero code (bad input, unsupported stream, disk full).</summary>
    ExitCode,

    /// <summary>It did not finish within its time limit and was killed.</summary>
    TimedOut,

    /// <summary>It finished but printed something the wrapper cannot read.</summary>
    UnreadableOutput,
}

/// <summary>An ffmpeg or ffprobe run that failed, with the end of what it printed on stderr.</summary>
public sealed class FfmpegException(FfmpegFailure failure, string program, int exitCode, string standardErrorTail, string message)
    : Exception(message)
{
    public FfmpegFailure Failure { get; } = failure;

    public string Program { get; } = program;

    /// <summary>The exit code, or -1 when the process was killed.</summary>
    public int ExitCode { get; } = exitCode;

    public string StandardErrorTail { get; } = standardErrorTail;
}
