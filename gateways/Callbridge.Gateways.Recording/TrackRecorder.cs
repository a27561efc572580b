using Callbridge.Conference;
using Callbridge.Gateways.Recording.Spool;
using Callbridge.Matroska;

namespace Callbridge.Gateways.Recording;

/// <summary>What the loop should do after a frame was handled.</summary>
internal enum TrackFrameResult
{
    Written,

    /// <summary>A file was created for the track (spool.json must list it).</summary>
    WrittenFirst,

    /// <summary>Video before its first key frame: dropped; a key frame should be requested.</summary>
    NeedsKeyFrame,

    Dropped,
}

/// <summary>
/// One track's spool file and counters. The file is created at the first frame that can start it (any Opus
/// packet; a VP8 key frame, whose header gives the picture size). Loop-owned: not thread-safe.
/// </summary>
internal sealed class TrackRecorder(PublishedTrack track, int index, string fileName, string path, ParticipantClock participant) : IDisposable
{
    private readonly TrackClock _clock = new(participant);
    private readonly List<SpoolGap> _gaps = [];
    private WebmTrackWriter? _writer;
    private TimeSpan? _last;
    private bool _endedSinceLastFrame;
    private bool _lossSinceLastFrame;

    public PublishedTrack Track { get; } = track;

    public int Index { get; } = index;

    public string FileName { get; } = fileName;

    public string FilePath { get; } = path;

    public bool HasFile => _writer is not null;

    public bool IsVideo => Track.Kind == TrackKind.Video;

    public long FramesReceived { get; private set; }
    public long FramesWritten { get; private set; }
    public long FramesAfterLoss { get; private set; }
    public long EncryptedFramesDropped { get; set; }
    public long FramesDroppedBeforeKeyFrame { get; private set; }
    public long FramesDroppedOutOfOrder { get; private set; }
    public long KeyFrameRequests { get; set; }

    /// <summary>First frames of a stream dropped because no second frame confirmed them clear.</summary>
    public long FramesDroppedUnconfirmed { get; set; }

    /// <summary>What placed the track on the timeline (for the log at the end).</summary>
    public TrackClockStats ClockStats => _clock.Stats;

    /// <summary>Where the frames written belong: to add to their file time when the recording is finished.</summary>
    public TimeSpan Shift => _clock.Shift(participant);

    /// <summary>How far the sender reports move the track from its least-delayed arrival; null without reports.</summary>
    public TimeSpan? SenderLessArrival => _clock.SenderLessArrival(participant);

    /// <summary>The shift spool.json holds for this track.</summary>
    public TimeSpan SpooledShift { get; set; }

    /// <summary>Track-time of the last frame written.</summary>
    public TimeSpan? Last => _last;

    /// <summary>When the last frame arrived (our clock, track time); the loop flushes a track that went quiet.</summary>
    public TimeSpan LastArrival { get; private set; }

    /// <summary>Whether the open cluster holds frames not yet on disk.</summary>
    public bool HasUnflushed { get; private set; }

    /// <summary>When a key frame was last asked for (track time), to ask at most once a second.</summary>
    public TimeSpan? LastKeyFrameRequest { get; set; }

    public TrackFrameResult Write(in SpoolItem frame, TimeSpan arrival, DateTimeOffset recordingStart, TimeSpan gapThreshold)
    {
        FramesReceived++;
        LastArrival = arrival;
        ReadOnlySpan<byte> data = frame.Buffer.AsSpan(0, frame.Length);
        if (frame.AfterLoss)
        {
            FramesAfterLoss++;
            _lossSinceLastFrame = true;
        }
        TimeSpan at = _clock.Map(frame.Ssrc, frame.RtpTimestamp, frame.ClockRate, frame.SenderTime, arrival, recordingStart, participant);
        bool first = false;
        if (_writer is null)
        {
            WebmTrack? spec = Spec(data, frame.IsKeyFrame);
            if (spec is null)
            {
                FramesDroppedBeforeKeyFrame++;
                return TrackFrameResult.NeedsKeyFrame;
            }
            // Not synced cluster by cluster: the gateway's SpoolSync puts every track's clusters on disk together.
            _writer = WebmTrackWriter.Create(FilePath, spec, recordingStart, durable: false);
            first = true;
        }
        if (_last is { } last && at - last > gapThreshold)
        {
            string cause = _endedSinceLastFrame ? "track-ended" : _lossSinceLastFrame ? "loss" : "no-frames";
            _gaps.Add(new SpoolGap(last.TotalSeconds, at.TotalSeconds, cause));
        }
        FrameWriteResult result = _writer.WriteFrame(data, at, frame.IsKeyFrame);
        if (result == FrameWriteResult.DroppedOutOfOrder)
        {
            FramesDroppedOutOfOrder++;
            return TrackFrameResult.Dropped;
        }
        if (result != FrameWriteResult.Written) return TrackFrameResult.Dropped;
        FramesWritten++;
        HasUnflushed = true;
        _last = at;
        _endedSinceLastFrame = _lossSinceLastFrame = false;
        // After loss a VP8 decoder cannot go on until the next key frame: ask for one now.
        if (IsVideo && frame.AfterLoss && !frame.IsKeyFrame) return TrackFrameResult.NeedsKeyFrame;
        return first ? TrackFrameResult.WrittenFirst : TrackFrameResult.Written;
    }

    public void MarkEnded() => _endedSinceLastFrame = true;

    private byte[]? _held;
    private SpoolItem _heldItem;
    private TimeSpan _heldArrival;
    private bool _holding;
    private bool _confirmed;
    private uint _confirmedSsrc;

    /// <summary>
    /// Whether a clear frame can be written now. The first frame of a stream (a track, or a new SSRC of it)
    /// cannot: an E2EE format such as JFrame shows itself only from the second frame on (its trailer repeats
    /// the previous frame's IV), so the first is held until the next frame arrives clear.
    /// </summary>
    public bool IsConfirmed(uint ssrc) => _confirmed && _confirmedSsrc == ssrc;

    /// <summary>Keeps a copy of the first frame of a stream; a frame already held is dropped (returns true).</summary>
    public bool Hold(in SpoolItem frame, TimeSpan arrival)
    {
        bool dropped = DropHeld();
        if (_held is null || _held.Length < frame.Length) _held = new byte[Math.Max(frame.Length, 2048)];
        frame.Buffer.AsSpan(0, frame.Length).CopyTo(_held);
        _heldItem = frame with { Buffer = _held };
        _heldArrival = arrival;
        _holding = true;
        return dropped;
    }

    /// <summary>A clear frame of <paramref name="ssrc"/> followed the held one: the stream is confirmed clear.</summary>
    public bool TryConfirm(uint ssrc, out SpoolItem held, out TimeSpan arrival)
    {
        held = _heldItem;
        arrival = _heldArrival;
        if (!_holding || _heldItem.Ssrc != ssrc) return false;
        _holding = false;
        _confirmed = true;
        _confirmedSsrc = ssrc;
        return true;
    }

    /// <summary>Drops the held frame (the stream turned out encrypted); true when there was one.</summary>
    public bool DropHeld()
    {
        bool had = _holding;
        _holding = false;
        return had;
    }

    /// <summary>Takes the held frame, whatever its stream: the stream ended, or the recording ends normally.</summary>
    public bool TryTakeHeld(out SpoolItem held, out TimeSpan arrival)
    {
        held = _heldItem;
        arrival = _heldArrival;
        bool had = _holding;
        _holding = false;
        return had;
    }

    /// <summary>An encrypted frame arrived: the stream is no longer trusted to be clear.</summary>
    public void Distrust() => _confirmed = false;

    /// <summary>Writes the open cluster to its file (on disk with the spool's next sync).</summary>
    public void Flush()
    {
        if (!HasUnflushed || _writer is null) return;
        _writer.Flush();
        HasUnflushed = false;
    }

    public SpoolTrack ToSpool(string? displayName, bool withCounters)
    {
        SpooledShift = Shift;
        return new(Index, Track.TrackId, Track.ParticipantId, displayName,
            IsVideo ? "video" : "audio", Track.Codec, FileName,
            withCounters
                ? new SpoolTrackCounters(FramesReceived, FramesWritten, FramesAfterLoss, EncryptedFramesDropped, FramesDroppedBeforeKeyFrame,
                    FramesDroppedOutOfOrder, KeyFrameRequests, [.. _gaps])
                : null,
            Math.Round(SpooledShift.TotalSeconds, 4));
    }

    public void Dispose()
    {
        _writer?.Dispose();
        HasUnflushed = false;
    }

    private WebmTrack? Spec(ReadOnlySpan<byte> data, bool keyFrame)
    {
        string name = $"{Track.ParticipantId} {(IsVideo ? "camera" : "microphone")}";
        if (!IsVideo) return new WebmTrack(WebmCodec.Opus, name);
        if (!keyFrame || !Vp8KeyFrameHeader.TryReadSize(data, out int width, out int height)) return null;
        return new WebmTrack(WebmCodec.Vp8, name, width, height);
    }
}
