using System.Buffers.Binary;

namespace Callbridge.Matroska;

/// <summary>
/// Writes one track's frames into a WebM file as they arrive, so that whatever is on disk is playable
/// at any moment: the Segment has an unknown size (a reader plays to the end of the file), and frames
/// are grouped into clusters of at most <see cref="MaxClusterDuration"/>, each written to the file whole as it
/// closes (and fsync'd when the writer is durable). A killed process therefore loses at most the cluster being
/// assembled.
/// </summary>
/// <remarks>
/// Timestamps are the time since the recording started (one clock for every track of a recording),
/// so per-track files line up. Gaps (mute, loss, unpublish) are kept as gaps: no frame is invented
/// and none is stretched. Invariant: <c>_clusterStart &lt;= _lastTimestamp</c> while a cluster is open.
/// </remarks>
public sealed class WebmTrackWriter : IDisposable
{
    /// <summary>Longest cluster, which bounds what a crash can lose. One second stays well inside the 2 s budget.</summary>
    public static readonly TimeSpan MaxClusterDuration = TimeSpan.FromSeconds(1);

    private const byte TrackNumber = 1;
    private readonly FileStream _file;
    private readonly EbmlBuffer _cluster = new();
    private readonly WebmTrack _track;
    private readonly bool _durable;
    private long _clusterStartMs = -1;
    private long _lastMs = -1;
    private int _clusterSizeAt;
    private bool _disposed;

    private WebmTrackWriter(FileStream file, WebmTrack track, bool durable)
    {
        _file = file;
        _track = track;
        _durable = durable;
    }

    public string Path => _file.Name;

    public long FramesWritten { get; private set; }

    /// <summary>Timestamp of the last frame accepted, or null before the first.</summary>
    public TimeSpan? LastTimestamp => _lastMs < 0 ? null : TimeSpan.FromMilliseconds(_lastMs);

    /// <summary>Creates the file and writes its header (in the file before returning; on disk too when durable).</summary>
    /// <param name="recordingStart">Wall-clock time of timestamp zero, stored as the file's DateUTC.</param>
    /// <param name="durable">
    /// fsync each cluster, so the file alone survives a power loss. False when the owner puts its files on disk
    /// itself (the recording spool syncs all its tracks at once) or durability does not matter (format tests).
    /// </param>
    public static WebmTrackWriter Create(string path, WebmTrack track, DateTimeOffset recordingStart, bool durable = true)
    {
        ArgumentNullException.ThrowIfNull(track);
        if (track.IsVideo && (track.Width <= 0 || track.Height <= 0))
            throw new ArgumentException("A video track needs its width and height (from the first key frame).", nameof(track));
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
        var writer = new WebmTrackWriter(file, track, durable);
        try
        {
            writer.WriteHeader(recordingStart);
        }
        catch
        {
            file.Dispose();
            throw;
        }
        return writer;
    }

    /// <summary>Adds one frame. Key frames of video start a new cluster so each cluster is decodable on its own.</summary>
    public FrameWriteResult WriteFrame(ReadOnlySpan<byte> frame, TimeSpan timestamp, bool keyFrame)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (frame.IsEmpty) return FrameWriteResult.DroppedEmpty;
        long ms = (long)timestamp.TotalMilliseconds;
        if (ms < _lastMs) return FrameWriteResult.DroppedOutOfOrder;

        bool open = _clusterStartMs >= 0;
        // A SimpleBlock's timestamp is a signed 16-bit offset from its cluster's.
        bool mustClose = open && (ms - _clusterStartMs >= MaxClusterDuration.TotalMilliseconds || ms - _clusterStartMs > short.MaxValue
            || (_track.IsVideo && keyFrame && ms > _clusterStartMs));
        if (mustClose) FlushCluster();
        if (_clusterStartMs < 0) BeginCluster(ms);

        // SimpleBlock (RFC 9559 §5.1.3.5 / §10.2): track VINT, int16 relative timestamp, flags, frame.
        Ebml.WriteId(_cluster, MatroskaIds.SimpleBlock);
        Ebml.WriteSize(_cluster, (ulong)(4 + frame.Length));
        Span<byte> head = _cluster.GetSpan(4);
        head[0] = 0x80 | TrackNumber;
        BinaryPrimitives.WriteInt16BigEndian(head[1..], (short)(ms - _clusterStartMs));
        head[3] = (byte)(keyFrame || !_track.IsVideo ? 0x80 : 0x00);
        _cluster.Advance(4);
        frame.CopyTo(_cluster.GetSpan(frame.Length));
        _cluster.Advance(frame.Length);

        _lastMs = ms;
        FramesWritten++;
        return FrameWriteResult.Written;
    }

    /// <summary>Writes the open cluster now (e.g. when a track goes quiet) so it survives a crash.</summary>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_clusterStartMs >= 0) FlushCluster();
    }

    public void Dispose()
    {
        if (_disposed) return;
        try
        {
            if (_clusterStartMs >= 0) FlushCluster();
        }
        finally
        {
            _disposed = true;
            _file.Dispose();
        }
    }

    private void BeginCluster(long ms)
    {
        _cluster.Reset();
        _clusterSizeAt = Ebml.BeginMaster(_cluster, MatroskaIds.Cluster);
        Ebml.WriteUInt(_cluster, MatroskaIds.Timestamp, (ulong)ms);
        _clusterStartMs = ms;
    }

    private void FlushCluster()
    {
        Ebml.EndMaster(_cluster, _clusterSizeAt);
        _file.Write(_cluster.WrittenSpan);
        _file.Flush(flushToDisk: _durable);
        _cluster.Reset();
        _clusterStartMs = -1;
    }

    private void WriteHeader(DateTimeOffset recordingStart)
    {
        var b = new EbmlBuffer(1024);
        int ebml = Ebml.BeginMaster(b, MatroskaIds.Ebml);
        Ebml.WriteUInt(b, MatroskaIds.EbmlVersion, 1);
        Ebml.WriteUInt(b, MatroskaIds.EbmlReadVersion, 1);
        Ebml.WriteUInt(b, MatroskaIds.EbmlMaxIdLength, 4);
        Ebml.WriteUInt(b, MatroskaIds.EbmlMaxSizeLength, 8);
        Ebml.WriteString(b, MatroskaIds.DocType, "webm");
        Ebml.WriteUInt(b, MatroskaIds.DocTypeVersion, 4);
        Ebml.WriteUInt(b, MatroskaIds.DocTypeReadVersion, 2);
        Ebml.EndMaster(b, ebml);

        // Unknown size: the file stays valid however far it got.
        Ebml.WriteId(b, MatroskaIds.Segment);
        Ebml.WriteSize(b, Ebml.UnknownSize8 & ~(1UL << 56), 8);

        int info = Ebml.BeginMaster(b, MatroskaIds.Info);
        Ebml.WriteUInt(b, MatroskaIds.TimestampScale, 1_000_000); // 1 ms ticks
        Ebml.WriteString(b, MatroskaIds.MuxingApp, "Callbridge.Matroska");
        Ebml.WriteString(b, MatroskaIds.WritingApp, "Callbridge recording gateway");
        // DateUTC: nanoseconds since 2001-01-01T00:00:00 UTC; aligns this file with the other tracks.
        Ebml.WriteInt(b, MatroskaIds.DateUtc, (recordingStart.UtcDateTime - new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc)).Ticks * 100);
        Ebml.EndMaster(b, info);

        int tracks = Ebml.BeginMaster(b, MatroskaIds.Tracks);
        int entry = Ebml.BeginMaster(b, MatroskaIds.TrackEntry);
        Ebml.WriteUInt(b, MatroskaIds.TrackNumber, TrackNumber);
        Ebml.WriteUInt(b, MatroskaIds.TrackUid, (ulong)Random.Shared.NextInt64(1, long.MaxValue));
        Ebml.WriteString(b, MatroskaIds.Name, _track.Name);
        if (_track.IsVideo)
        {
            Ebml.WriteUInt(b, MatroskaIds.TrackType, 1);
            Ebml.WriteString(b, MatroskaIds.CodecId, "V_VP8");
            int video = Ebml.BeginMaster(b, MatroskaIds.Video);
            Ebml.WriteUInt(b, MatroskaIds.PixelWidth, (ulong)_track.Width);
            Ebml.WriteUInt(b, MatroskaIds.PixelHeight, (ulong)_track.Height);
            Ebml.EndMaster(b, video);
        }
        else
        {
            Ebml.WriteUInt(b, MatroskaIds.TrackType, 2);
            Ebml.WriteString(b, MatroskaIds.CodecId, "A_OPUS");
            Ebml.WriteBinary(b, MatroskaIds.CodecPrivate, OpusHead(_track.Channels));
            // 80 ms of pre-roll lets a decoder converge after a seek (RFC 7845 §4.6 recommends it).
            Ebml.WriteUInt(b, MatroskaIds.SeekPreRoll, 80_000_000);
            int audio = Ebml.BeginMaster(b, MatroskaIds.Audio);
            Ebml.WriteFloat(b, MatroskaIds.SamplingFrequency, 48000.0);
            Ebml.WriteUInt(b, MatroskaIds.Channels, (ulong)_track.Channels);
            Ebml.EndMaster(b, audio);
        }
        Ebml.EndMaster(b, entry);
        Ebml.EndMaster(b, tracks);

        _file.Write(b.WrittenSpan);
        _file.Flush(flushToDisk: _durable);
    }

    /// <summary>
    /// The Opus identification header (RFC 7845 §5.1). Pre-skip is 0: the remote encoder's lookahead is
    /// unknown, and trimming a guessed amount would shift audio against video.
    /// </summary>
    internal static byte[] OpusHead(int channels)
    {
        var head = new byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1; // version
        head[9] = (byte)channels;
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), 0); // pre-skip
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), 48000); // original input rate
        BinaryPrimitives.WriteInt16LittleEndian(head.AsSpan(16), 0); // output gain
        head[18] = 0; // channel mapping family 0: mono or stereo
        return head;
    }
}
