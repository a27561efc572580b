using Callbridge.Captions.Transcript;
using Callbridge.ClientCaptions.Media;

namespace Callbridge.ClientCaptions;

/// <summary>What a captions run produced.</summary>
/// <param name="EndReason">Why it stopped: cancelled, duration reached, or the conference ended (with the SFU's reason).</param>
/// <param name="Speakers">Frames per speaker (participant id): decrypted, clear, undecryptable.</param>
public sealed record ClientCaptionsResult(CaptionTranscript Transcript, string EndReason, IReadOnlyDictionary<string, SpeakerFrameStatistics> Speakers);
