using Callbridge.PhoneMedia;

namespace Callbridge.Gateways.Sip.Benchmarks;

/// <summary>One running call's counters at one instant.</summary>
internal sealed record CallCounters(PhoneRtpStatistics Rtp, PhoneConferenceAudioStatistics Conference);
