using System.Text.Json.Serialization;

namespace Callbridge.TestSupport.Browser;

/// <summary>Arguments of the page's <c>cb.join</c>.</summary>
public sealed class ParticipantJoinOptions
{
    /// <summary>Janus HTTP API root as the browser reaches it.</summary>
    [JsonPropertyName("server")]
    public required string Server { get; init; }

    [JsonPropertyName("room")]
    public required long Room { get; init; }

    [JsonPropertyName("display")]
    public string? Display { get; init; }

    [JsonPropertyName("publishAudio")]
    public bool PublishAudio { get; init; }

    [JsonPropertyName("publishVideo")]
    public bool PublishVideo { get; init; }

    /// <summary>Subscribe to every publisher already there and every later one.</summary>
    [JsonPropertyName("subscribe")]
    public bool Subscribe { get; init; }

    /// <summary>Mark the publish jsep <c>e2ee:true</c> without any transform (signalling tests only).</summary>
    [JsonPropertyName("markE2ee")]
    public bool MarkE2ee { get; init; }

    /// <summary>Optional E2EE hooks: a worker module URL (e.g. under /files/) receiving <c>rtctransform</c> events with <c>{operation:"encrypt"|"decrypt", ...Options}</c>.</summary>
    [JsonPropertyName("e2ee")]
    public ParticipantE2eeOptions? E2ee { get; init; }

    /// <summary>
    /// Publish a beep-and-flash camera and microphone made inside the page (canvas and WebAudio on one clock)
    /// instead of the fake capture devices.
    /// </summary>
    [JsonPropertyName("beepFlash")]
    public ParticipantBeepFlash? BeepFlash { get; init; }
}
