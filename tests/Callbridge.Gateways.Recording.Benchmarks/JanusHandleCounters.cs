using System.Text.Json;
using System.Text.Json.Nodes;

namespace Callbridge.Gateways.Recording.Benchmarks;

/// <summary>
/// Janus's RTP counters of one VideoRoom handle's PeerConnection, summed over its audio and video m-lines: totals
/// since that PeerConnection started (Janus keeps no per-window figures). Janus 1.1.2's <c>handle_info</c> gives,
/// per m-line, <c>stats.in</c>/<c>stats.out</c> (packets, NACKs) and <c>rtcp.main</c> (RFC 3550 loss).
/// </summary>
/// <param name="Role">VideoRoom's <c>plugin_specific.type</c>: "publisher" (a participant handle, publishing or not) or "subscriber".</param>
/// <param name="Owner">The display name the handle's session joined the room with (its publisher handle's <c>display</c>).</param>
/// <param name="PacketsIn">RTP packets Janus received on the handle (<c>stats.in.packets</c>).</param>
/// <param name="PacketsOut">
/// RTP packets Janus sent (<c>stats.out.packets</c>): counted in ice.c's send loop once the packet left; its NACK
/// answers are resent from its SRTP buffer and not counted.
/// </param>
/// <param name="LostIn">Janus's RFC 3550 loss of what it received (<c>rtcp.main.lost</c>: expected minus received, after retransmissions).</param>
/// <param name="LostByRemote">Loss the remote end reported in its receiver reports (<c>rtcp.main.lost-by-remote</c>).</param>
/// <param name="NacksSent">
/// Sequence numbers Janus asked its peer for again, about what it received (ice.c adds them to <c>stats.out.nacks</c>).
/// </param>
/// <param name="NacksReceived">Sequence numbers the peer asked Janus for again, about what Janus sent (ice.c: <c>stats.in.nacks</c>).</param>
/// <param name="RetransmissionsIn">Packets Janus received as retransmissions (<c>stats.in.retransmissions</c>).</param>
internal sealed record JanusHandleCounters(
    long Session,
    long Handle,
    string Role,
    string Owner,
    int MediaLines,
    long PacketsIn,
    long PacketsOut,
    long LostIn,
    long LostByRemote,
    long NacksSent,
    long NacksReceived,
    long RetransmissionsIn)
{
    /// <summary>
    /// Every handle with a PeerConnection on this Janus, attributed to the session's display name; every handle's
    /// whole <c>handle_info</c> is kept in <paramref name="dumpPath"/> for a closer look.
    /// </summary>
    public static async Task<IReadOnlyList<JanusHandleCounters>> ReadAllAsync(JanusAdminClient admin, string dumpPath, CancellationToken cancellationToken = default)
    {
        var sessions = new List<(long Session, List<(long Handle, JsonObject Info)> Handles)>();
        var dump = new JsonArray();
        foreach (long session in await admin.ListSessionsAsync(cancellationToken).ConfigureAwait(false))
        {
            var handles = new List<(long Handle, JsonObject Info)>();
            foreach (long handle in await admin.ListHandlesAsync(session, cancellationToken).ConfigureAwait(false))
            {
                if (await admin.HandleInfoAsync(session, handle, cancellationToken).ConfigureAwait(false) is not { } info) continue;
                handles.Add((handle, info));
                dump.Add(new JsonObject { ["session"] = session, ["handle"] = handle, ["info"] = info.DeepClone() });
            }

            sessions.Add((session, handles));
        }

        await File.WriteAllTextAsync(dumpPath, dump.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken).ConfigureAwait(false);
        var result = new List<JanusHandleCounters>();
        foreach ((long session, List<(long Handle, JsonObject Info)> handles) in sessions)
        {
            // Each bench participant joins on its own session: one participant ("publisher") handle with its display
            // name, and for a receiver one subscriber handle beside it.
            string owner = handles.Select(h => (string?)h.Info["plugin_specific"]?["display"]).FirstOrDefault(d => d is not null) ?? "?";
            foreach ((long handle, JsonObject info) in handles)
            {
                if (info["webrtc"]?["media"] is not JsonObject media) continue;
                string role = (string?)info["plugin_specific"]?["type"] ?? "?";
                int lines = 0;
                long packetsIn = 0, packetsOut = 0, lostIn = 0, lostByRemote = 0, nacksSent = 0, nacksReceived = 0, retransmissions = 0;
                foreach ((string _, JsonNode? m) in media)
                {
                    if ((string?)m?["type"] is not ("audio" or "video")) continue;
                    if (m["stats"]?["in"]?["packets"] is null || m["stats"]?["out"]?["packets"] is null)
                    {
                        throw new InvalidDataException($"Janus's handle_info of handle {handle} has no stats.in/out.packets for m-line {(string?)m["mid"]}: see {dumpPath}");
                    }

                    lines++;
                    packetsIn += Long(m["stats"]?["in"]?["packets"]);
                    packetsOut += Long(m["stats"]?["out"]?["packets"]);
                    nacksReceived += Long(m["stats"]?["in"]?["nacks"]);
                    nacksSent += Long(m["stats"]?["out"]?["nacks"]);
                    retransmissions += Long(m["stats"]?["in"]?["retransmissions"]);
                    lostIn += Long(m["rtcp"]?["main"]?["lost"]);
                    lostByRemote += Long(m["rtcp"]?["main"]?["lost-by-remote"]);
                }

                result.Add(new JanusHandleCounters(session, handle, role, owner, lines, packetsIn, packetsOut, lostIn, lostByRemote, nacksSent, nacksReceived, retransmissions));
            }
        }

        return result;
    }

    private static long Long(JsonNode? node) => node is null ? 0 : (long)node;
}
