using Callbridge.FrameCrypto.SFrame;

namespace Callbridge.FrameCrypto.Classification;

/// <summary>
/// Per-track accumulator over <see cref="FrameClassifier"/> evidence. A verdict needs a run of
/// <see cref="RequiredRun"/> consecutive frames that agree, and each encrypted run needs a relation between
/// frames that clear media does not keep:
/// <list type="bullet">
/// <item>JFrame: every frame has the trailer, and the IV's SSRC field (bytes 0..3) is the same in all
/// (random clear bytes match that with odds 2^-32 per frame, on top of 1/4096 for the trailer).</item>
/// <item>SFrame: every header parses with the same KID and a CTR 1..<see cref="MaxCounterStep"/> above the
/// previous one (random bytes: about 1/32 per frame at best).</item>
/// <item>Clear: every frame passes the codec check and shows no JFrame trailer.</item>
/// </list>
/// Encrypted runs are checked before the clear run, since JFrame keeps the Opus TOC and VP8 header in clear.
/// A later run of another kind replaces the verdict (E2EE switched on or off mid-call). Not thread-safe:
/// one detector per track, fed from that track's loop.
/// </summary>
public sealed class EncryptionDetector
{
    /// <summary>Default run length: 16 frames is 320 ms of 20 ms Opus and about half a second of 30 fps video.</summary>
    public const int DefaultRequiredRun = 16;

    /// <summary>Largest CTR step accepted between frames of a track: tolerates loss and a key shared with other tracks.</summary>
    public const ulong MaxCounterStep = 8;

    private readonly MediaKind _kind;
    private int _jframeRun;
    private uint _jframeSsrc;
    private int _sframeRun;
    private SFrameHeader _lastSFrame;
    private int _clearRun;

    public EncryptionDetector(MediaKind kind, int requiredRun = DefaultRequiredRun)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(requiredRun, 2);
        _kind = kind;
        RequiredRun = requiredRun;
    }

    public int RequiredRun { get; }

    public FrameFormat Verdict { get; private set; }

    public long FramesObserved { get; private set; }

    /// <summary>Adds one frame's evidence; returns the (possibly updated) verdict.</summary>
    public FrameFormat Observe(ReadOnlySpan<byte> frame) => Observe(FrameClassifier.Classify(frame, _kind));

    public FrameFormat Observe(in FrameClassification c)
    {
        FramesObserved++;
        if (c.Has(FrameEvidence.JFrameTrailer))
        {
            _jframeRun = _jframeRun > 0 && c.JFrameIvSsrc == _jframeSsrc ? _jframeRun + 1 : 1;
            _jframeSsrc = c.JFrameIvSsrc;
        }
        else
        {
            _jframeRun = 0;
        }

        if (c.Has(FrameEvidence.SFrameHeader))
        {
            var h = c.SFrameHeader;
            bool follows = _sframeRun > 0 && h.KeyId == _lastSFrame.KeyId && h.Counter > _lastSFrame.Counter && h.Counter - _lastSFrame.Counter <= MaxCounterStep;
            _sframeRun = follows ? _sframeRun + 1 : 1;
            _lastSFrame = h;
        }
        else
        {
            _sframeRun = 0;
        }

        var clearFlag = _kind switch
        {
            MediaKind.Audio => FrameEvidence.ClearOpus,
            MediaKind.Video => FrameEvidence.ClearVp8,
            _ => FrameEvidence.ClearOpus | FrameEvidence.ClearVp8,
        };
        bool clear = (c.Evidence & clearFlag) != 0 && !c.Has(FrameEvidence.JFrameTrailer);
        _clearRun = clear ? _clearRun + 1 : 0;

        if (_jframeRun >= RequiredRun)
        {
            Verdict = FrameFormat.JFrame;
        }
        else if (_sframeRun >= RequiredRun)
        {
            Verdict = FrameFormat.SFrame;
        }
        else if (_clearRun >= RequiredRun && _jframeRun == 0 && _sframeRun < 2)
        {
            Verdict = FrameFormat.Clear;
        }

        return Verdict;
    }
}
