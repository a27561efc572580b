namespace Callbridge.Speech.Recognition;

/// <summary>An engine that can say how it is: restarts of a worker, a fault it cannot recover from.</summary>
public interface ISpeechEngineHealth
{
    SpeechEngineHealth GetHealth();
}

/// <summary>A snapshot of an engine's health.</summary>
/// <param name="Engine">"pocketsphinx", "whisper".</param>
/// <param name="Healthy">False while a worker restarts or after a fault no restart can help.</param>
/// <param name="Restarts">Worker restarts since the engine started (0 for in-process engines).</param>
/// <param name="Detail">Why it is not healthy, in one sentence; null when healthy.</param>
public sealed record SpeechEngineHealth(string Engine, bool Healthy, int Restarts, string? Detail);
