#!/usr/bin/env bash
# Installs what the test suite and the sandbox need on a fresh machine, skipping what is there:
#   nats-server v2.14.5 and natscli v0.4.0 (go install into the user cache),
#   Debian's nats-server 2.9 (the old-server compatibility target), Chromium and fonts.
# Everything lands outside the clone (NATS_FLOW_CACHE, default ~/.cache/nats-flow) or in the
# system package database, so a fresh clone reuses it.
set -euo pipefail
CACHE="${NATS_FLOW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nats-flow}"
BIN="$CACHE/bin"
mkdir -p "$BIN"
NATS_SERVER_VERSION=v2.14.5
NATSCLI_VERSION=v0.4.0

log() { echo "[ensure-tools] $*"; }

have_version() { [ -x "$1" ] && "$1" --version 2>/dev/null | grep -q "${2#v}"; }

# The Debian packages to install: what `npm test`'s set-up step asked for (it knows which the
# target needs), else everything the suites and code-server's native build can use.
if [ -n "${NATS_FLOW_APT_PACKAGES+x}" ]; then
  read -r -a need_apt <<< "$NATS_FLOW_APT_PACKAGES"
else
  need_apt=()
  [ -x /usr/bin/chromium ] || need_apt+=(chromium fonts-dejavu-core)
  [ -x /usr/sbin/nats-server ] || [ -x /usr/bin/nats-server ] || need_apt+=(nats-server)
  # code-server's native modules (kerberos) need these to compile
  dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
  dpkg -s pkg-config >/dev/null 2>&1 || need_apt+=(pkg-config)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "apt-get install ${need_apt[*]} (Chromium is about 100 MB)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
    # Debian starts the packaged server as a service; the tests start their own
    if command -v systemctl >/dev/null; then systemctl disable --now nats-server >/dev/null 2>&1 || true; fi
  else
    log "missing Debian packages: ${need_apt[*]}; install them as root with:"
    log "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need_apt[*]}"
    exit 1
  fi
fi

if command -v go >/dev/null; then
  if ! have_version "$BIN/nats-server" "$NATS_SERVER_VERSION"; then
    log "go install nats-server@$NATS_SERVER_VERSION"
    GOBIN="$BIN" go install "github.com/nats-io/nats-server/v2@$NATS_SERVER_VERSION" 2>&1 | grep -v '^go: downloading' || true
    have_version "$BIN/nats-server" "$NATS_SERVER_VERSION" || { log "go install nats-server failed"; exit 1; }
  fi
  if ! have_version "$BIN/nats" "$NATSCLI_VERSION"; then
    # `go install natscli@v` asks the proxy for the module's version list (a deprecation check),
    # which the proxy refuses for natscli; building from a pinned go.mod asks only for that version
    log "go build natscli@$NATSCLI_VERSION"
    mod="$CACHE/natscli-build"; mkdir -p "$mod"
    printf 'module natsflow.local/natscli\n\ngo 1.25\n\nrequire github.com/nats-io/natscli %s\n' "$NATSCLI_VERSION" > "$mod/go.mod"
    printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/nats-io/natscli/nats"\n' > "$mod/tools.go"
    (cd "$mod" && GOFLAGS=-mod=mod go build -o "$BIN/nats" github.com/nats-io/natscli/nats 2>&1 | grep -v '^go: downloading' || true)
    have_version "$BIN/nats" "$NATSCLI_VERSION" || { log "go build natscli failed"; exit 1; }
  fi
else
  log "Go is not installed: nats-server falls back to Debian's package, natscli tests are skipped"
fi
log "tools ready in $BIN"
