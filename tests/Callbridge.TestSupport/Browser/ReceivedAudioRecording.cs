using Callbridge.TestSupport.Media;

namespace Callbridge.TestSupport.Browser;

/// <summary>What a participant page heard from one remote audio track (its VideoRoom feed and display name).</summary>
public sealed record ReceivedAudioRecording(long Feed, string? Display, WavAudio Audio);
