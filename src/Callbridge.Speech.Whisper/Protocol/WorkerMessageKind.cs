namespace Callbridge.Speech.Whisper.Protocol;

internal enum WorkerMessageKind
{
    /// <summary>The worker loaded its npm package and reads requests.</summary>
    Ready,
    /// <summary>The worker is about to exit; <see cref="WorkerMessage.Code"/> says why.</summary>
    Fatal,
    /// <summary>The answer to the request with <see cref="WorkerMessage.Id"/>.</summary>
    Reply,
}
