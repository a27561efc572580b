#!/usr/bin/env bash
# The recorder load bench (issue #5, Performance): publishing bots (the media core sending a pre-encoded
# clip, Opus 20 ms + VP8 ~500 kbit/s, no encoder) across rooms of one private Janus; the recording gateway
# (one per room) in its own process, and a subscribe-only baseline in another, both receiving the same
# streams. Prints, per participant count, the CPU time each process used over a steady window (% of one
# core), frames sent / delivered / written / lost, packets lost stage by stage (bots -> Janus, inside Janus,
# Janus -> each receiver, inside each receiver) from Janus's own counters (its admin API, on for this Janus
# only) against each media core's, and the load average. About 4-5 minutes; each 100-participant run leaves
# about 2.5 GB of recordings under artifacts/test-runs.
#
#   scripts/bench-recording.sh                                  # 10, 50 and 100 participants, 30 s window
#   scripts/bench-recording.sh --participants 10 --window 10    # quick look
#   scripts/bench-recording.sh --spin-limit 0                   # thread pool workers do not spin when idle
#   scripts/bench-recording.sh --warmup 20                      # seconds between every track flowing and the window
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
project=tests/Callbridge.Gateways.Recording.Benchmarks
# Built outside the namespace: there is no package registry inside it.
dotnet build "$project" -c Release --nologo -v quiet -clp:NoSummary
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
exec scripts/test-in-netns.sh "$project/bin/Release/net10.0/Callbridge.Gateways.Recording.Benchmarks" run "$@"
