using System.Globalization;
using System.Text.RegularExpressions;

namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>
/// Where packets were lost, stage by stage, from counters that are all totals since each connection started: the
/// bots' media cores (sent), Janus's handles through its admin API (received from the bots, sent to each receiver),
/// Janus's log (packets it dropped from a handle's send queue), each receiver's media core (received, dropped) and
/// the recorder's spool (frames written).
/// </summary>
internal sealed partial class LossByStage
{
    private readonly BotsReport _bots;
    private readonly IReadOnlyList<JanusHandleCounters> _handles;
    private readonly JanusHandleCounters[] _publishers;
    private readonly Dictionary<long, long> _tooOld;

    /// <param name="tooOldByHandle">Janus's "Discarding too old outgoing packet" warnings by handle id (<see cref="TooOldDiscards"/>).</param>
    public LossByStage(BotsReport bots, IReadOnlyList<JanusHandleCounters> handles, Dictionary<long, long> tooOldByHandle)
    {
        _bots = bots;
        _handles = handles;
        _tooOld = tooOldByHandle;
        _publishers = [.. handles.Where(h => h.Role == "publisher" && h.Owner.StartsWith("bot-", StringComparison.Ordinal))];
    }

    /// <summary>RTP packets the bots put on the wire (first transmissions and NACK answers) that Janus did not count in.</summary>
    public long BotsToJanus => _bots.RtpSent + _bots.RtpRetransmitted - _publishers.Sum(h => h.PacketsIn);

    /// <summary>Packets (RTP, and the few RTCP) Janus dropped from a receiver's send queues after they waited over 1 s there.</summary>
    public long DroppedInJanusFor(string owner) => SubscribersOf(owner).Sum(h => _tooOld.GetValueOrDefault(h.Handle));

    /// <summary>
    /// Packets Janus sent to the receiver that its media core did not receive, plus those it received and dropped.
    /// Janus does not count its NACK answers as sent, so with NACKs answered the difference is lower than the loss
    /// before retransmission (it can be negative).
    /// </summary>
    public long SfuToProcess(string owner, MediaCoreCounters media) => SubscribersOf(owner).Sum(h => h.PacketsOut) - media.RtpReceived + media.DroppedInProcess;

    public IEnumerable<string> Lines(int rooms, MediaCoreCounters recorder, MediaCoreCounters baseline, long deliveredNotWritten)
    {
        long sent = _bots.RtpSent + _bots.RtpRetransmitted;
        long into = _publishers.Sum(h => h.PacketsIn);
        yield return "  loss by stage: counters of Janus's handles (admin API handle_info), Janus's log and each process's media core; totals since each connection started (not the window), read after the bots stopped and 2 s passed";
        yield return Invariant($"  bots -> Janus: the bots sent {_bots.RtpSent} RTP packets (+{_bots.RtpRetransmitted} resent for {_bots.NacksReceived} NACK messages{(_bots.NotConnected > 0 ? $"; {_bots.NotConnected} publications had no connection left to count" : "")}); Janus received {into} on {_publishers.Length} publisher handles: {sent - into} lost on the way; Janus's own RFC 3550 loss of what it received {_publishers.Sum(h => h.LostIn)}, sequence numbers it NACKed {_publishers.Sum(h => h.NacksSent)}, retransmissions it received {_publishers.Sum(h => h.RetransmissionsIn)}, its packets dropped from these handles' send queues {_publishers.Sum(h => _tooOld.GetValueOrDefault(h.Handle))}");
        JanusHandleCounters[] rec = SubscribersOf(RecorderMode.RecorderName), bas = SubscribersOf(RecorderMode.BaselineName);
        long unattributed = _tooOld.Where(t => !_handles.Any(h => h.Handle == t.Key)).Sum(t => t.Value);
        yield return Invariant($"  inside Janus: received {into} from the bots, sent {rec.Sum(h => h.PacketsOut)} to the recorder and {bas.Sum(h => h.PacketsOut)} to the baseline (not forwarded {into - rec.Sum(h => h.PacketsOut)} / {into - bas.Sum(h => h.PacketsOut)}: packets from before that receiver's subscription to the track was up, and Janus's drops); dropped from the send queue after waiting over 1 s (\"Discarding too old outgoing packet\" in its log, RTCP included): {DroppedInJanusFor(RecorderMode.RecorderName)} for the recorder, {DroppedInJanusFor(RecorderMode.BaselineName)} for the baseline{(unattributed > 0 ? $", {unattributed} on handles gone before the admin read" : "")}");
        yield return Receiver("recorder", RecorderMode.RecorderName, rooms, recorder);
        yield return Receiver("baseline", RecorderMode.BaselineName, rooms, baseline);
        yield return Inside("recorder", recorder) + Invariant($"; {deliveredNotWritten} frames delivered but not written");
        yield return Inside("baseline", baseline);
        yield return Invariant($"  lost between SFU and spool: {SfuToProcess(RecorderMode.RecorderName, recorder)} packets / {deliveredNotWritten} frames (and {DroppedInJanusFor(RecorderMode.RecorderName)} packets, RTCP included, Janus dropped from the recorder's send queues before sending)");
    }

    /// <summary>Janus's warnings for RTP it dropped in a handle's send loop after the packet waited over a second in the queue (ice.c), by handle id.</summary>
    public static Dictionary<long, long> TooOldDiscards(string janusLog)
    {
        var result = new Dictionary<long, long>();
        foreach (string line in File.ReadLines(janusLog))
        {
            if (TooOld().Match(line) is { Success: true } m)
            {
                long handle = long.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
                result[handle] = result.GetValueOrDefault(handle) + 1;
            }
        }

        return result;
    }

    private JanusHandleCounters[] SubscribersOf(string owner) => [.. _handles.Where(h => h.Role == "subscriber" && h.Owner == owner)];

    private string Receiver(string name, string owner, int rooms, MediaCoreCounters media)
    {
        JanusHandleCounters[] handles = SubscribersOf(owner);
        long sent = handles.Sum(h => h.PacketsOut);
        return Invariant($"  Janus -> {name}: Janus sent {sent} RTP packets on {handles.Length} subscriber handles ({rooms} rooms; its NACK answers uncounted), was asked again for {handles.Sum(h => h.NacksReceived)} sequence numbers, loss in the {name}'s receiver reports {handles.Sum(h => h.LostByRemote)}; the {name}'s media core received {media.RtpReceived} on {media.Connections} connections ({media.TrackPackets} to tracks): {sent - media.RtpReceived} lost on the way; its RFC 3550 loss over its tracks (every stage before it, after retransmissions) {media.SequenceLost}, sequence numbers it NACKed {media.NacksSent}");
    }

    private static string Inside(string name, MediaCoreCounters m) => Invariant(
        $"  in the {name}: {m.DroppedInProcess} packets dropped (unvalidated source {m.UnvalidatedDatagrams}, SRTP {m.SrtpFailures}, unrouted {m.Unrouted}, oversize {m.OversizeDropped}, jitter buffer late {m.JitterLate} / discarded {m.JitterDiscarded} / too large {m.JitterTooLarge}; duplicates {m.JitterDuplicates}); {m.JitterGaps} sequence numbers given up as missing; {m.FramesDropped} frames dropped by the depacketizers");

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\[(\d+)\] Discarding too old outgoing packet")]
    private static partial Regex TooOld();
}
