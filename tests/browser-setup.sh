#!/usr/bin/env bash
# What saga-step's console browser test (ConsoleBrowserTest) needs: Debian's Chromium, Node.js
# with npm, and playwright-core from the npm registry (package-lock.json in
# functions/saga-step/src/test/browser; no browser is downloaded). Installs what is missing with
# apt (as root, as infra/local/stack.sh does); safe to run again. Called by tests/run-tests.sh.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export DEBIAN_FRONTEND=noninteractive

want=()
[ -x /usr/bin/chromium ] || want+=(chromium)
command -v node >/dev/null || want+=(nodejs)
command -v npm >/dev/null || want+=(npm)
if [ ${#want[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "browser-setup: missing ${want[*]}; install them (apt-get install --no-install-recommends ${want[*]}) or run as root" >&2
    exit 1
  fi
  echo "browser-setup: install ${want[*]} (apt)" >&2
  log="$(mktemp)"
  {
    apt-get -q update &&
      apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends "${want[@]}"
  } >"$log" 2>&1 || { tail -n 25 "$log" >&2; echo "browser-setup: install failed: ${want[*]}" >&2; exit 1; }
  rm -f "$log"
fi

cd "$root/functions/saga-step/src/test/browser"
if [ ! -d node_modules/playwright-core ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "browser-setup: npm ci (playwright-core)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
echo "browser-setup: chromium $(/usr/bin/chromium --version 2>/dev/null | awk '{print $2}'), node $(node --version), playwright-core $(node -p 'require("playwright-core/package.json").version')" >&2
