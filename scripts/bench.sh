#!/usr/bin/env bash
# Runs the benchmarks (BenchmarkDotNet, in-process, short job) and leaves their reports under
# artifacts/bench/<project>/results. Not part of scripts/test.sh: speed is measured here, not in tests.
#
#   scripts/bench.sh                  # every benchmark project
#   scripts/bench.sh Srtp '*HotPath*' # one project (name between Callbridge. and .Benchmarks), one filter
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
only="${1:-}"
filter="${2:-*}"
for project in tests/Callbridge.*.Benchmarks; do
  name="$(basename "$project")"
  area="${name#Callbridge.}"; area="${area%.Benchmarks}"
  [[ -z "$only" || "$only" == "$area" ]] || continue
  echo "== $name"
  dotnet build "$project" -c Release --nologo -v quiet -clp:NoSummary
  # In-process: BenchmarkDotNet's separate build of a generated project times out on a loaded 2-core
  # machine. Tiered compilation off so short runs measure optimized code from the first iteration.
  (cd "$project" && DOTNET_TieredCompilation=0 dotnet "bin/Release/net10.0/$name.dll" \
    --filter "$filter" --job short --inProcess --artifacts "$root/artifacts/bench/$name")
done
