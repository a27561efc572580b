using Callbridge.Gateways.Recording.Spool;
using Callbridge.Matroska;

namespace Callbridge.Gateways.Recording.Tests;

/// <summary>The finisher puts each track file where its shift says, and starts the recording earlier when a track belongs before its first arrival.</summary>
public sealed class PlacementTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_track_shifted_before_time_zero_moves_the_start_and_every_time_of_the_recording_with_it()
    {
        var gaps = new SpoolTrackCounters(100, 100, 0, 0, 0, 0, 0, [new SpoolGap(5.0, 6.0, "no-frames")]);
        var state = new SpoolState(1, "acme", "room", "rec-1", Start, "acme/room/rec-1",
            [
                new SpoolTrack(0, "a/0", "a", "Alice", "audio", "opus", "a.webm", gaps, ShiftSeconds: -0.9),
                new SpoolTrack(1, "a/1", "a", "Alice", "video", "vp8", "v.webm", null, ShiftSeconds: -0.95),
                new SpoolTrack(2, "b/0", "b", "Bob", "audio", "opus", "b.webm", null),
            ],
            [new SpoolPresence("a", "Alice", "joined", 0), new SpoolPresence("b", "Bob", "joined", 9.5)], null);
        var summaries = new Dictionary<string, WebmSpoolSummary>(StringComparer.Ordinal)
        {
            ["a.webm"] = new(TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(20), 100, 100, 1, 1),
            ["v.webm"] = new(TimeSpan.FromSeconds(0.3), TimeSpan.FromSeconds(20), 100, 1, 1, 1),
            ["b.webm"] = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), 100, 100, 1, 1),
        };

        (SpoolState placed, IReadOnlyDictionary<string, WebmSpoolSummary> files) = RecordingFinalizer.Place(state, summaries);

        // Alice's audio belongs at 0.2 - 0.9 = -0.7 s: the recording starts 0.7 s earlier, and everything moves by that.
        Assert.Equal(Start.AddSeconds(-0.7), placed.StartedAt);
        Assert.Equal(TimeSpan.Zero, files["a.webm"].FirstFrame);
        Assert.Equal(TimeSpan.FromSeconds(0.05), files["v.webm"].FirstFrame);
        Assert.Equal(TimeSpan.FromSeconds(10.7), files["b.webm"].FirstFrame);
        Assert.Equal(TimeSpan.FromSeconds(20.7), files["b.webm"].LastFrame);
        Assert.Equal(TimeSpan.FromSeconds(19.8), files["a.webm"].LastFrame);
        Assert.Equal((4.8, 5.8), (Math.Round(placed.Tracks[0].Counters!.Gaps[0].FromSeconds, 6), Math.Round(placed.Tracks[0].Counters!.Gaps[0].ToSeconds, 6)));
        Assert.Equal([0.7, 10.2], placed.Presence.Select(p => Math.Round(p.AtSeconds, 6)));
    }

    [Fact]
    public void Without_shifts_nothing_moves()
    {
        var state = new SpoolState(1, "acme", "room", "rec-1", Start, "acme/room/rec-1",
            [new SpoolTrack(0, "a/0", "a", "Alice", "audio", "opus", "a.webm", null)], [new SpoolPresence("a", "Alice", "joined", 0)], null);
        var summaries = new Dictionary<string, WebmSpoolSummary>(StringComparer.Ordinal) { ["a.webm"] = new(TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(3), 10, 10, 1, 1) };
        (SpoolState placed, IReadOnlyDictionary<string, WebmSpoolSummary> files) = RecordingFinalizer.Place(state, summaries);
        Assert.Equal(Start, placed.StartedAt);
        Assert.Equal(summaries["a.webm"], files["a.webm"]);
    }
}
