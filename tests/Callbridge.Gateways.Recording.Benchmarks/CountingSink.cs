using Callbridge.Conference;

namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>
/// Counts what the media core delivers per track and forwards it (to the recording gateway, or nowhere for
/// the baseline). Counting starts at the first frame a recorder can write (any Opus frame; the first VP8
/// key frame) and keeps the first and last RTP timestamps, from which the frames the sender sent in between
/// follow exactly: a bot sends every frame slot of its clip at a fixed RTP step.
/// </summary>
internal sealed class CountingSink(IConferenceMediaSink? inner) : IConferenceMediaSink
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TrackCount> _tracks = new(StringComparer.Ordinal);

    public void OnFrame(in ConferenceFrame frame)
    {
        TrackCount? count;
        lock (_gate)
        {
            if (!_tracks.TryGetValue(frame.Track.TrackId, out count))
            {
                _tracks[frame.Track.TrackId] = count = new TrackCount(frame.Track.TrackId, frame.Track.ParticipantId, frame.Track.Kind == TrackKind.Video);
            }
        }

        count.Add(frame.RtpTimestamp, frame.IsKeyFrame, frame.AfterLoss);
        inner?.OnFrame(frame);
    }

    public void OnTrackStarted(PublishedTrack track) => inner?.OnTrackStarted(track);

    public void OnTrackEnded(PublishedTrack track, string reason) => inner?.OnTrackEnded(track, reason);

    public void OnTrackEncrypted(PublishedTrack track, string format) => inner?.OnTrackEncrypted(track, format);

    public TrackCount[] Tracks
    {
        get { lock (_gate) return [.. _tracks.Values]; }
    }
}

/// <summary>One track's delivered frames. Written by one media loop; read approximately while running, exactly once quiet.</summary>
internal sealed class TrackCount(string trackId, string participantId, bool video)
{
    private long _frames;
    private bool _started;

    public string TrackId { get; } = trackId;
    public string ParticipantId { get; } = participantId;
    public bool IsVideo { get; } = video;

    /// <summary>Frames since the first writable one, that one included.</summary>
    public long Frames => Volatile.Read(ref _frames);

    /// <summary>Every frame delivered, writable or not.</summary>
    public long AllFrames { get; private set; }

    public long AfterLoss { get; private set; }
    public uint FirstTimestamp { get; private set; }
    public uint LastTimestamp { get; private set; }

    public void Add(uint rtpTimestamp, bool keyFrame, bool afterLoss)
    {
        AllFrames++;
        if (!_started)
        {
            if (IsVideo && !keyFrame) return;
            _started = true;
            FirstTimestamp = rtpTimestamp;
        }

        if (afterLoss) AfterLoss++;
        LastTimestamp = rtpTimestamp;
        Volatile.Write(ref _frames, _frames + 1);
    }

    /// <summary>Frames the sender sent from the first counted to the last: the RTP span over the frame step, plus one.</summary>
    public long Expected(int step) => _started ? (unchecked(LastTimestamp - FirstTimestamp) / (uint)step) + 1 : 0;
}
