using Callbridge.Conference;

namespace Callbridge.TestSupport.Media;

/// <summary>
/// Plays a <see cref="PreEncodedClip"/> in a loop into one publication, in real time: call
/// <see cref="Pace"/> often (every few ms) with a monotonic clock. A key frame request restarts the video
/// at the clip's first frame (a key frame) on the next frame slot. Frames are never skipped: every slot
/// sends one frame, and a refused send is counted, not retried.
/// </summary>
public sealed class ClipPublisher : IDisposable
{
    private readonly PreEncodedClip _clip;
    private readonly IConferencePublication _publication;
    private readonly long _videoStep;
    private readonly long _audioStep;
    private long _nextAudio;
    private long _nextVideo;
    private int _audioIndex;
    private int _videoIndex;
    private int _keyWanted;

    public ClipPublisher(PreEncodedClip clip, IConferencePublication publication, long startTimestamp, long timestampFrequency)
    {
        ArgumentNullException.ThrowIfNull(clip);
        ArgumentNullException.ThrowIfNull(publication);
        _clip = clip;
        _publication = publication;
        _audioStep = timestampFrequency / 50;
        _videoStep = timestampFrequency / clip.FramesPerSecond;
        _nextAudio = _nextVideo = startTimestamp;
        publication.KeyFrameRequested += OnKeyFrameRequested;
    }

    public IConferencePublication Publication => _publication;

    public long AudioSent { get; private set; }
    public long AudioRefused { get; private set; }
    public long VideoSent { get; private set; }
    public long VideoRefused { get; private set; }
    public long KeyFramesSent { get; private set; }

    /// <summary>Key frame requests that restarted the video.</summary>
    public long Restarts { get; private set; }

    /// <summary>Sends every frame whose slot is at or before <paramref name="now"/>.</summary>
    public void Pace(long now)
    {
        while (_nextAudio <= now)
        {
            byte[] packet = _clip.Opus[_audioIndex];
            _audioIndex = (_audioIndex + 1) % _clip.Opus.Count;
            if (_publication.TrySendOpus(packet)) AudioSent++;
            else AudioRefused++;
            _nextAudio += _audioStep;
        }

        while (_nextVideo <= now)
        {
            if (Interlocked.Exchange(ref _keyWanted, 0) != 0 && _videoIndex != 0)
            {
                _videoIndex = 0;
                Restarts++;
            }

            byte[] frame = _clip.Video[_videoIndex];
            _videoIndex = (_videoIndex + 1) % _clip.Video.Count;
            if (_publication.TrySendVp8(frame, _clip.VideoFrameDuration90k))
            {
                VideoSent++;
                if ((frame[0] & 1) == 0) KeyFramesSent++;
            }
            else
            {
                VideoRefused++;
            }

            _nextVideo += _videoStep;
        }
    }

    private void OnKeyFrameRequested() => Interlocked.Exchange(ref _keyWanted, 1);

    public void Dispose() => _publication.KeyFrameRequested -= OnKeyFrameRequested;
}
