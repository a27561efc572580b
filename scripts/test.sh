#!/usr/bin/env bash
# The README's test command: installs what the tests need, restores, builds, then runs the whole
# suite inside a private network namespace (loopback + a veth pair on 198.18.0.0/24) so that no
# test can send a packet anywhere else. Idempotent; fast when everything is already installed.
#
#   scripts/test.sh                 # everything
#   scripts/test.sh --filter X      # extra arguments go to `dotnet test` (e.g. a filter)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

configuration="${CALLBRIDGE_CONFIGURATION:-Release}"
results="$root/artifacts/test-results"

"$root/scripts/install-deps.sh"

echo "== restore and build ($configuration)"
dotnet restore Callbridge.Gateways.sln --nologo -v quiet
dotnet build Callbridge.Gateways.sln -c "$configuration" --no-restore --nologo -v quiet -clp:NoSummary

rm -rf "$results"
mkdir -p "$results"

echo "== tests (inside a private network namespace)"
status=0
# One test assembly at a time (-m:1): the real-component suites (Janus, Chromium, sipp) are
# real-time and share two cores; running them side by side makes timing-sensitive proofs flaky.
"$root/scripts/test-in-netns.sh" \
  dotnet test Callbridge.Gateways.sln -c "$configuration" --no-build --nologo -m:1 \
    --results-directory "$results" \
    --logger "trx" --logger "console;verbosity=minimal" \
    --blame-hang-timeout 10m \
    "$@" || status=$?

# One closing line over every assembly, read from the TRX files the runs wrote. A skipped test is
# a failure that was hidden, so any skip fails the run too.
python3 - "$results" <<'PY' || status=1
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
failures = []
for f in glob.glob(sys.argv[1] + "/**/*.trx", recursive=True):
    root = ET.parse(f).getroot()
    for r in root.iterfind("t:Results/t:UnitTestResult", ns):
        if r.get("outcome") not in ("Passed", "NotExecuted"):
            message = r.find("t:Output/t:ErrorInfo/t:Message", ns)
            first = (message.text or "").strip().splitlines()[0][:1200] if message is not None and message.text else ""
            failures.append(f"{r.get('testName')}: {first}")
    c = root.find("t:ResultSummary/t:Counters", ns)
    if c is None:
        continue
    passed += int(c.get("passed", 0))
    failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0)) + int(c.get("aborted", 0))
    skipped += int(c.get("notExecuted", 0))
if skipped:
    print(f"{skipped} test(s) were skipped: a skipped test is a failure here", file=sys.stderr)
# The failed tests again at the very end, where a truncated CI log still shows them.
for line in failures:
    print("FAILED " + line)
print(f"Total: {passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or skipped or passed == 0 else 0)
PY
exit "$status"
