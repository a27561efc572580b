#!/usr/bin/env bash
# Installs what the real test stack runs: Debian packages (Janus, Chromium, sipp, baresip, media and
# speech tools) and the pinned npm tools in <repo>/.tools (Azurite). Idempotent: when everything is
# present it only checks, in about a second. Fails loudly, naming the package, when a program is
# still missing afterwards.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_src="$repo_root/scripts/tools"
tools_dir="$repo_root/.tools"

log() { printf 'install-deps: %s\n' "$*" >&2; }
die() { printf 'install-deps: ERROR: %s\n' "$*" >&2; exit 1; }

# Runtime packages only: the code P/Invokes the versioned sonames of libopus0, libsrtp2-1 and
# libspeexdsp1, and the tests drive the programs of the others.
debian_packages=(
  janus janus-demos libjs-janus-gateway libjs-webrtc-adapter
  ffmpeg libopus0 libsrtp2-1 libspeexdsp1
  sip-tester baresip
  pocketsphinx pocketsphinx-en-us flite espeak-ng sox
  chromium iproute2 openssl
  libgomp1
  nodejs
)

missing=()
for pkg in "${debian_packages[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == "installed" ]] || missing+=("$pkg")
done
# Debian's nodejs ships without npm (package npm); some nodejs builds include it.
if ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi

if ((${#missing[@]} > 0)); then
  log "installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  if [[ "$(id -u)" != "0" ]]; then
    command -v sudo >/dev/null || die "need root (or sudo) to install: ${missing[*]}"
    sudo_cmd=(sudo)
  fi
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # --no-install-recommends keeps chromium and janus lean; janus-demos is what pulls adapter.js.
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "Debian packages present"
fi

# npm tools: reproducible from the committed package.json + package-lock.json.
need_npm=1
if [[ -f "$tools_dir/package-lock.json" ]] && cmp -s "$tools_src/package-lock.json" "$tools_dir/package-lock.json" \
   && [[ -x "$tools_dir/node_modules/.bin/azurite-blob" ]]; then
  need_npm=0
fi
if ((need_npm)); then
  log "installing npm tools into $tools_dir"
  mkdir -p "$tools_dir"
  cp "$tools_src/package.json" "$tools_src/package-lock.json" "$tools_dir/"
  (cd "$tools_dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
else
  log "npm tools present"
fi

# The Whisper worker's whisper.cpp build for Node. `npm ci` refuses this lock file because the registry
# lacks the package's optional binaries for other platforms, so it is `npm install --omit=optional`
# against the committed lock, which installs exactly the two linux-x64 packages it pins.
whisper_src="$tools_src/whisper"
whisper_dir="$tools_dir/whisper"
if ! cmp -s "$whisper_src/package-lock.json" "$whisper_dir/package-lock.json" \
   || [[ ! -f "$whisper_dir/node_modules/@fugood/node-whisper-linux-x64/index.node" ]]; then
  log "installing the Whisper worker's npm packages into $whisper_dir"
  mkdir -p "$whisper_dir"
  cp "$whisper_src/package.json" "$whisper_src/package-lock.json" "$whisper_dir/"
  (cd "$whisper_dir" && npm install --omit=optional --no-audit --no-fund --ignore-scripts --loglevel=error)
fi

# Every program the fixtures start, with the package that provides it.
declare -A programs=(
  [janus]=janus
  [chromium]=chromium
  [sipp]=sip-tester
  [baresip]=baresip
  [ffmpeg]=ffmpeg
  [ffprobe]=ffmpeg
  [flite]=flite
  [espeak-ng]=espeak-ng
  [sox]=sox
  [pocketsphinx_continuous]=pocketsphinx
  [ip]=iproute2
  [unshare]=util-linux
  [openssl]=openssl
  [node]=nodejs
)
failed=0
for prog in "${!programs[@]}"; do
  if ! command -v "$prog" >/dev/null 2>&1; then
    printf 'install-deps: ERROR: program "%s" not on PATH (Debian package %s)\n' "$prog" "${programs[$prog]}" >&2
    failed=1
  fi
done
declare -A files=(
  [/usr/share/javascript/janus-gateway/janus.js]=libjs-janus-gateway
  [/usr/share/javascript/webrtc-adapter/adapter.js]=libjs-webrtc-adapter
  [/usr/share/sip-tester/g711a.pcap]=sip-tester
  ["$tools_dir/node_modules/.bin/azurite-blob"]="npm azurite@3.37.0 (scripts/tools/package.json)"
  ["$tools_dir/whisper/node_modules/@fugood/node-whisper-linux-x64/index.node"]="npm @fugood/whisper.node@1.1.3 (scripts/tools/whisper/package.json)"
  [/usr/lib/x86_64-linux-gnu/libgomp.so.1]=libgomp1
)
for f in "${!files[@]}"; do
  if [[ ! -e "$f" ]]; then
    printf 'install-deps: ERROR: %s missing (%s)\n' "$f" "${files[$f]}" >&2
    failed=1
  fi
done
((failed == 0)) || die "some test programs are missing (see above)"
log "all test programs present"
