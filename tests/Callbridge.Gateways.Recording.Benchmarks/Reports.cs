namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>One track as the recorder process saw it: delivered by the media core, expected from the RTP span, written to the spool.</summary>
internal sealed record TrackReport(string TrackId, bool Video, long Delivered, long Expected, long AfterLoss, long Written);

/// <summary>What a recorder (or baseline) process reports; <paramref name="Media"/> only in its final report.</summary>
internal sealed record RecorderReport(int Tracks, long Delivered, IReadOnlyList<TrackReport> PerTrack, MediaCoreCounters? Media = null);

/// <summary>What the bots process reports when stopped.</summary>
/// <param name="VideoOnWire">VP8 frames the media core put on the wire (at least one packet sent), against <paramref name="VideoSent"/> handed to it.</param>
/// <param name="RtpSent">RTP packets the bots' media cores handed to their sockets (first transmissions).</param>
/// <param name="RtpRetransmitted">RTP packets resent in answer to NACKs.</param>
/// <param name="NacksReceived">Generic NACK messages the bots received.</param>
/// <param name="NotConnected">Publications with no media connection when stopped (their packets are missing from the counts).</param>
internal sealed record BotsReport(int Bots, long AudioSent, long VideoSent, long AudioRefused, long VideoRefused, long KeyFrameRequests, long Restarts, long KeyFramesSent, long VideoOnWire = 0,
    long RtpSent = 0, long RtpRetransmitted = 0, long NacksReceived = 0, int NotConnected = 0);
