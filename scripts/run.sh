#!/usr/bin/env bash
# The README's main-job command: runs the gateway host on its embedded defaults — deliverables to a
# local folder (data/blobs), a local Janus it starts and stops itself, the shipped recognizer — and
# serves the host's pages and API on http://127.0.0.1:8080 (override with --urls). Ctrl-C stops the
# host, which stops its Janus.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

"$root/scripts/install-deps.sh"
dotnet build gateways/Callbridge.Gateways.Host -c Release --nologo -v quiet -clp:NoSummary

urls="http://127.0.0.1:8080"
if [[ "${1:-}" == "--urls" && -n "${2:-}" ]]; then urls="$2"; shift 2; fi

cd "$root/gateways/Callbridge.Gateways.Host"
exec dotnet bin/Release/net10.0/Callbridge.Gateways.Host.dll --urls "$urls" --contentRoot "$PWD" "$@"
