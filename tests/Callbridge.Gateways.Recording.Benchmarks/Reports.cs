namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>One track as the recorder process saw it: delivered by the media core, expected from the RTP span, written to the spool.</summary>
internal sealed record TrackReport(string TrackId, bool Video, long Delivered, long Expected, long AfterLoss, long Written);

/// <summary>What a recorder (or baseline) process reports.</summary>
internal sealed record RecorderReport(int Tracks, long Delivered, IReadOnlyList<TrackReport> PerTrack);

/// <summary>What the bots process reports when stopped.</summary>
/// <param name="VideoOnWire">VP8 frames the media core put on the wire (at least one packet sent), against <paramref name="VideoSent"/> handed to it.</param>
internal sealed record BotsReport(int Bots, long AudioSent, long VideoSent, long AudioRefused, long VideoRefused, long KeyFrameRequests, long Restarts, long KeyFramesSent, long VideoOnWire = 0);
