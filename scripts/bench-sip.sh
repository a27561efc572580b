#!/usr/bin/env bash
# The SIP bridge's performance figures (docs/performance.md, "SIP bridge under load" and "SIP messages"):
#   1. SIP parse + serialize throughput, messages/s per core (CPU time of one thread; no network).
#   2. The bridge under sipp load with an embedded Janus, inside the test network namespace: calls ramped
#      (default 4 48 100 200), 4 callers per room, CPU per call, underruns, calls held, delay through the bridge.
#
#   scripts/bench-sip.sh                     # both
#   scripts/bench-sip.sh load 4 48 100 200   # the load bench only (any of its options: --room --rate --window)
#   scripts/bench-sip.sh throughput          # the SIP message throughput only
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
what="${1:-all}"
[[ $# -gt 0 ]] && shift
if [[ "$what" == "all" || "$what" == "throughput" ]]; then
  dotnet build tests/Callbridge.Sip.Benchmarks -c Release --nologo -v quiet -clp:NoSummary
  dotnet tests/Callbridge.Sip.Benchmarks/bin/Release/net10.0/Callbridge.Sip.Benchmarks.dll --throughput
fi
if [[ "$what" == "all" || "$what" == "load" ]]; then
  dotnet build tests/Callbridge.Gateways.Sip.Benchmarks -c Release --nologo -v quiet -clp:NoSummary
  scripts/test-in-netns.sh dotnet tests/Callbridge.Gateways.Sip.Benchmarks/bin/Release/net10.0/Callbridge.Gateways.Sip.Benchmarks.dll load "$@"
fi
