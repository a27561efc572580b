using System.ComponentModel.DataAnnotations;

namespace Callbridge.Gateways.Recording;

/// <summary>How the recording gateway spools, composes and uploads. Bound from the section the host passes
/// to <see cref="RecordingServiceCollectionExtensions.AddRecordingGateway"/> (by convention "Callbridge:Recording").</summary>
public sealed class RecordingOptions : IValidatableObject
{
    public const string SectionName = "Callbridge:Recording";

    /// <summary>
    /// Local folder for spools (one sub-folder per recording). It must survive a restart, which is how a
    /// killed process's recordings are finished: not a tmpfs. Relative paths are taken from the working folder.
    /// </summary>
    [Required]
    public string SpoolFolder { get; set; } = "data/recordings";

    /// <summary>The name the bot joins with, as participants see it.</summary>
    [Required]
    [StringLength(64, MinimumLength = 1)]
    public string DisplayName { get; set; } = "Recorder";

    /// <summary>
    /// How often the blocks of growing track files are uploaded while recording. 5 s keeps the remote copy
    /// a few seconds behind without many small requests (a block goes up only once it is whole).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan UploadInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Upload block size in bytes. 4 MiB: a 500 kbit/s camera fills one in about a minute.</summary>
    [Range(64 * 1024, 100 * 1024 * 1024)]
    public int UploadBlockSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// How long the end of a recording keeps retrying uploads through an outage before it gives up and
    /// leaves the spool for the next start. 10 minutes rides out a storage fail-over.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan UploadRetryWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Frames waiting between the media core and the spool writer. 4096 is about 20 s of one participant
    /// (50 audio + 30 video frames per second), so only a stalled disk drops frames (they are counted).
    /// </summary>
    [Range(64, 1_000_000)]
    public int QueueCapacity { get; set; } = 4096;

    /// <summary>
    /// How often what the recordings wrote is put on disk (one syncfs of the spool's file system for all of them).
    /// Each track's clusters (at most 1 s) reach the file as they close, so a killed process loses at most the
    /// cluster being assembled whatever this is. A power loss can also take what was written since the last sync:
    /// up to this interval and half a second more (syncs are made on the recordings' half-second ticks), so at 1 s
    /// about 2.5 s in all, at one sync a second however many tracks are recorded.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:10")]
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How far apart the recording's subscription takes dense media in batches. A recording needs no frame at once,
    /// so it waits longer than a live consumer: at 20 ms a room's connection wakes at most 50 times a second however
    /// many tracks it carries, and a retransmission request leaves at most that much later, well inside the SFU's
    /// retransmission buffer. Zero receives each datagram as it comes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:00.100")]
    public TimeSpan ReceiveBatchInterval { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>A silence in a track longer than this is listed as a gap in the manifest (mute, loss, unpublish).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan GapThreshold { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Make the composite (mixed audio, video grid). Off leaves per-participant files only.</summary>
    public bool Composite { get; set; } = true;

    [Range(160, 3840)]
    public int CompositeWidth { get; set; } = 1280;

    [Range(120, 2160)]
    public int CompositeHeight { get; set; } = 720;

    [Range(1, 60)]
    public int CompositeFramesPerSecond { get; set; } = 15;

    /// <summary>Keep the spool folder after a successful upload (for debugging); normally it is deleted.</summary>
    public bool KeepSpool { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (CompositeWidth % 2 != 0 || CompositeHeight % 2 != 0)
            yield return new ValidationResult("CompositeWidth and CompositeHeight must be even (VP8 with 4:2:0 chroma).",
                [nameof(CompositeWidth), nameof(CompositeHeight)]);
    }
}
