using Callbridge.Captions;

namespace Callbridge.ClientCaptions;

/// <summary>How the participant's captions run.</summary>
public sealed record ClientCaptionsOptions
{
    /// <summary>The conference to join (a Janus VideoRoom room number).</summary>
    public required string ConferenceId { get; init; }

    /// <summary>The name the module joins under; other participants see it in the roster.</summary>
    public string DisplayName { get; init; } = "Captions";

    /// <summary>Where the WebVTT transcript is written (rewritten after every final); null writes none.</summary>
    public string? WebVttPath { get; init; }

    /// <summary>Stop after this long; null runs until cancelled or the conference ends.</summary>
    public TimeSpan? Duration { get; init; }

    public CaptionPipelineOptions Pipeline { get; init; } = new();
}
