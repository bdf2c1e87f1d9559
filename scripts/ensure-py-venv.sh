#!/usr/bin/env bash
# The Python venv the scaffold tests build and run the generated Python code in:
# nats-py and mypy pinned, outside the clone (NATS_FLOW_CACHE, default ~/.cache/nats-flow/py-venv)
# so a fresh clone reuses it. Skips when the venv already has these exact versions.
# Prints the venv's python path on the last line.
set -euo pipefail
CACHE="${NATS_FLOW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nats-flow}"
VENV="${NATS_FLOW_PY_VENV:-$CACHE/py-venv}"
NATS_PY_VERSION=2.16.0
MYPY_VERSION=2.4.1
log() { echo "[ensure-py-venv] $*" >&2; }

PY="$(command -v python3 || true)"
if [ -z "$PY" ]; then log "python3 is not installed"; exit 1; fi

stamp="$VENV/.nats-flow-$NATS_PY_VERSION-$MYPY_VERSION"
if [ -f "$stamp" ] && [ -x "$VENV/bin/python" ]; then echo "$VENV/bin/python"; exit 0; fi

if ! "$PY" -m venv --help >/dev/null 2>&1 || ! "$PY" -c 'import ensurepip' >/dev/null 2>&1; then
  # Debian splits venv/ensurepip into python3-venv
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    log "apt-get install python3-venv"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
  else
    log "python3 -m venv is unavailable: install python3-venv (apt-get install python3-venv)"; exit 1
  fi
fi

rm -rf "$VENV"
log "creating $VENV (nats-py==$NATS_PY_VERSION mypy==$MYPY_VERSION)"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check "nats-py==$NATS_PY_VERSION" "mypy==$MYPY_VERSION" >&2
touch "$stamp"
echo "$VENV/bin/python"
