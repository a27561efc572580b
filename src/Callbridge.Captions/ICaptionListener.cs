using Callbridge.Gateways;

namespace Callbridge.Captions;

/// <summary>
/// Where a <see cref="CaptionPipeline"/> delivers its output. Called from the pipeline's result tasks (any
/// thread, several at once for several speakers); implementations return at once and never block.
/// </summary>
public interface ICaptionListener
{
    /// <summary>Every partial and every final, in order per speaker.</summary>
    void OnCaption(CaptionUpdate caption);

    /// <summary>Something the operator should see: a speaker refused or failed, the engine restarted, audio dropped.</summary>
    void OnNotice(CaptionNotice notice);
}
