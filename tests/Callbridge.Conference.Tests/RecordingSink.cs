using System.Collections.Concurrent;

namespace Callbridge.Conference.Tests;

/// <summary>
/// A media sink that keeps what it is given for assertions. While <see cref="Recording"/> is off it only
/// counts, allocating nothing, so the media loop's own allocation can be measured through it.
/// </summary>
internal sealed class RecordingSink : IConferenceMediaSink
{
    private readonly ConcurrentDictionary<string, TrackLog> _tracks = new(StringComparer.Ordinal);

    public volatile bool Recording = true;

    public ConcurrentQueue<(string TrackId, string Reason)> Ended { get; } = new();

    public ConcurrentQueue<(string TrackId, string Format, long At)> Encrypted { get; } = new();

    public ConcurrentQueue<string> Started { get; } = new();

    public long Frames => Interlocked.Read(ref _frames);

    private long _frames;

    public TrackLog Track(string trackId) => _tracks.GetOrAdd(trackId, static _ => new TrackLog());

    public bool Has(string trackId) => _tracks.ContainsKey(trackId);

    public void OnFrame(in ConferenceFrame frame)
    {
        Interlocked.Increment(ref _frames);
        if (!Recording)
        {
            return;
        }

        TrackLog log = Track(frame.Track.TrackId);
        log.Add(new RecordedFrame(frame.Ssrc, frame.RtpTimestamp, frame.ClockRate, frame.IsKeyFrame, frame.AfterLoss, frame.LooksEncrypted, frame.SenderTime, frame.ReceivedTimestamp, frame.Data.ToArray()));
    }

    public void OnTrackStarted(PublishedTrack track) => Started.Enqueue(track.TrackId);

    public void OnTrackEnded(PublishedTrack track, string reason) => Ended.Enqueue((track.TrackId, reason));

    public void OnTrackEncrypted(PublishedTrack track, string format) => Encrypted.Enqueue((track.TrackId, format, System.Diagnostics.Stopwatch.GetTimestamp()));
}

internal sealed record RecordedFrame(uint Ssrc, uint RtpTimestamp, int ClockRate, bool IsKeyFrame, bool AfterLoss, bool LooksEncrypted, DateTimeOffset? SenderTime, long ReceivedTimestamp, byte[] Data);

/// <summary>One track's frames in arrival order, and when the first one came.</summary>
internal sealed class TrackLog
{
    private readonly ConcurrentQueue<RecordedFrame> _frames = new();

    public long FirstFrameAt { get; private set; }

    public int Count => _frames.Count;

    public RecordedFrame[] Frames => _frames.ToArray();

    public void Add(RecordedFrame frame)
    {
        if (_frames.IsEmpty)
        {
            FirstFrameAt = System.Diagnostics.Stopwatch.GetTimestamp();
        }

        _frames.Enqueue(frame);
    }
}
