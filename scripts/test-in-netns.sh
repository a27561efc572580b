#!/usr/bin/env bash
# Runs a command inside a private network namespace: only `lo` and a veth pair cb0/cb1 with
# cb0 = 198.18.0.1/24 (RFC 2544 benchmarking range). Nothing started inside can reach any other
# network, and every server started inside dies with the namespace.
#
#   scripts/test-in-netns.sh dotnet test tests/Callbridge.Stack.Tests --no-build
#
# Build before calling this: there is no package registry inside the namespace.
# Without root, `unshare -rn` (user namespace) gives the same isolation.
# Exported to the command: CALLBRIDGE_NETNS=1, CALLBRIDGE_TEST_IP, CALLBRIDGE_TEST_IFACE,
# CALLBRIDGE_TEST_PREFIX, CALLBRIDGE_REPO_ROOT, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1.
set -euo pipefail

if (($# == 0)); then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
test_ip="${CALLBRIDGE_TEST_IP:-198.18.0.1}"
prefix="${CALLBRIDGE_TEST_PREFIX:-24}"

unshare_flags=(-n)
if [[ "$(id -u)" != "0" ]]; then
  unshare_flags=(-r -n)
fi

# The inner script receives the command as "$@" so arguments keep their quoting.
exec unshare "${unshare_flags[@]}" bash -euo pipefail -c '
  test_ip="$1"; prefix="$2"; repo_root="$3"; shift 3
  ip link set lo up
  ip link add cb0 type veth peer name cb1
  ip link set cb1 up
  ip addr add "$test_ip/$prefix" dev cb0
  ip link set cb0 up
  # Wait until the address is usable (no DAD on IPv4, but the link must be up).
  for _ in $(seq 1 50); do
    ip -4 addr show dev cb0 | grep -q "inet $test_ip/" && break
    sleep 0.1
  done
  export CALLBRIDGE_NETNS=1
  export CALLBRIDGE_TEST_IP="$test_ip"
  export CALLBRIDGE_TEST_IFACE=cb0
  export CALLBRIDGE_TEST_PREFIX="$prefix"
  export CALLBRIDGE_REPO_ROOT="$repo_root"
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  # No proxy can be reached from inside; a stray proxy variable would only delay local requests.
  unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
  export NO_PROXY="*" no_proxy="*"
  exec "$@"
' callbridge-netns "$test_ip" "$prefix" "$repo_root" "$@"
