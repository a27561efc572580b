namespace Callbridge.Ffmpeg;

/// <summary>
/// One WebM made of many tracks on one timeline: every audio input mixed, every video input a tile of a
/// grid. Before a tile's first frame and after its last the tile is black; audio gaps are silence.
/// </summary>
/// <param name="Duration">Length of the output (the recording's length).</param>
/// <param name="Width">Canvas width; 1280 x 720 keeps four 640 x 360 tiles at their camera size.</param>
/// <param name="FramesPerSecond">15: what a browser sends under load, and half the encoding cost of 30.</param>
/// <param name="VideoBitrateKbps">VP8 target; 1500 kbit/s gives a legible 720p grid.</param>
/// <param name="AudioBitrateKbps">Opus target; 64 kbit/s is transparent for mixed speech.</param>
public sealed record CompositeRequest(
    IReadOnlyList<TimedInput> Audio,
    IReadOnlyList<TimedInput> Video,
    TimeSpan Duration,
    string OutputPath,
    int Width = 1280,
    int Height = 720,
    int FramesPerSecond = 15,
    int VideoBitrateKbps = 1500,
    int AudioBitrateKbps = 64);
