namespace Callbridge.Captions;

/// <summary>One operator-visible event of a <see cref="CaptionPipeline"/>.</summary>
/// <param name="ParticipantId">The speaker concerned, or null for the whole pipeline.</param>
/// <param name="At">Offset from the start of captioning.</param>
/// <param name="Detail">One plain sentence.</param>
public sealed record CaptionNotice(CaptionNoticeKind Kind, string? ParticipantId, TimeSpan At, string Detail);
