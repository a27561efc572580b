using Callbridge.Conference;
using Callbridge.Conference.Janus;
using Callbridge.WebRtc;

namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>
/// What a receiving process's media core counted on its subscriber connections, summed over them: totals since
/// each connection started, like Janus's own counters.
/// </summary>
/// <param name="RtpReceived">SRTP datagrams that decrypted and parsed as RTP (retransmissions included).</param>
/// <param name="SrtpFailures">SRTP/SRTCP datagrams that failed to decrypt (dropped).</param>
/// <param name="Unrouted">Datagrams that matched no track or payload type, or did not parse (dropped).</param>
/// <param name="OversizeDropped">Datagrams larger than the receive buffer (dropped unread).</param>
/// <param name="TrackPackets">RTP packets handed to a track's pipeline.</param>
/// <param name="SequenceLost">RFC 3550 §A.3 cumulative loss over the tracks (sequence numbers expected minus received).</param>
/// <param name="NacksSent">Packets asked for again with generic NACKs.</param>
/// <param name="JitterDuplicates">Packets the jitter buffers already held (a retransmission that crossed its original).</param>
/// <param name="JitterLate">Packets that came after the jitter buffer gave up on them (dropped).</param>
/// <param name="JitterDiscarded">Packets a jitter buffer restart threw away (dropped).</param>
/// <param name="JitterTooLarge">Packets larger than a jitter buffer slot (dropped).</param>
/// <param name="JitterGaps">Sequence numbers the jitter buffers gave up waiting for (never arrived in time).</param>
/// <param name="FramesDropped">Frames the depacketizers dropped (a missing packet, a broken frame, video before a key frame).</param>
/// <param name="UnvalidatedDatagrams">Datagrams the ICE agents dropped because no check had validated their source yet (RFC 8445 §11).</param>
internal sealed record MediaCoreCounters(
    int Connections,
    long RtpReceived,
    long SrtpFailures,
    long Unrouted,
    long OversizeDropped,
    long TrackPackets,
    long SequenceLost,
    long NacksSent,
    long JitterDuplicates,
    long JitterLate,
    long JitterDiscarded,
    long JitterTooLarge,
    long JitterGaps,
    long FramesDropped,
    long UnvalidatedDatagrams)
{
    /// <summary>Packets that reached the process and that it dropped itself.</summary>
    public long DroppedInProcess => UnvalidatedDatagrams + SrtpFailures + Unrouted + OversizeDropped + JitterLate + JitterDiscarded + JitterTooLarge;

    public static async Task<MediaCoreCounters> ReadAsync(IEnumerable<IConferenceSubscription> subscriptions)
    {
        var sum = new MediaCoreCounters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
        foreach (IConferenceSubscription subscription in subscriptions)
        {
            if (ConnectionOf(subscription) is not { } connection) continue;
            PeerConnectionStatistics s = connection.Statistics;
            PeerConnectionDiagnostics diagnostics = await connection.GetDiagnosticsAsync().ConfigureAwait(false);
            sum = sum with
            {
                Connections = sum.Connections + 1,
                UnvalidatedDatagrams = sum.UnvalidatedDatagrams + (diagnostics.Ice?.DatagramsFromUnvalidatedAddresses ?? 0),
                RtpReceived = sum.RtpReceived + s.RtpReceived,
                SrtpFailures = sum.SrtpFailures + s.SrtpFailures,
                Unrouted = sum.Unrouted + s.Unrouted,
                OversizeDropped = sum.OversizeDropped + s.QueueDrops,
                NacksSent = sum.NacksSent + s.NacksSent,
            };
            foreach (RemoteTrack track in connection.Tracks)
            {
                var j = track.JitterStatistics;
                sum = sum with
                {
                    TrackPackets = sum.TrackPackets + track.PacketsReceived,
                    SequenceLost = sum.SequenceLost + track.PacketsLost,
                    JitterDuplicates = sum.JitterDuplicates + j.Duplicates,
                    JitterLate = sum.JitterLate + j.Late,
                    JitterDiscarded = sum.JitterDiscarded + j.Discarded,
                    JitterTooLarge = sum.JitterTooLarge + j.TooLarge,
                    JitterGaps = sum.JitterGaps + j.Lost,
                    FramesDropped = sum.FramesDropped + track.FramesDropped,
                };
            }
        }

        return sum;
    }

    /// <summary>
    /// The media core's connection behind a Janus subscription or publication (internal to the adapter, which
    /// gives callers the conference contract; visible to this bench), and an error rather than zeros for anything else.
    /// </summary>
    public static PeerConnection? ConnectionOf(object adapter) => adapter switch
    {
        JanusConferenceSubscription subscription => subscription.Connection,
        JanusConferencePublication publication => publication.Connection,
        _ => throw new InvalidOperationException($"{adapter.GetType().FullName} is not a Janus subscription or publication: the bench cannot read the media core's counters"),
    };
}
