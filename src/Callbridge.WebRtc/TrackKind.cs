namespace Callbridge.WebRtc;

/// <summary>The media of an m-line this connection handles.</summary>
public enum TrackKind
{
    Audio,
    Video,
}
