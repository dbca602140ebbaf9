#!/usr/bin/env bash
# Set-up for the demo on a fresh Debian machine: Fashion-MNIST from Debian's package (through
# sudo only when not root; without it the demo uses the committed 2,000-image slice), the locked
# npm packages, and the build. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else return 1
  fi
}

if dpkg-query -W -f='${Status}' dataset-fashion-mnist 2>/dev/null | grep -q 'install ok installed'; then
  echo "setup: dataset-fashion-mnist is installed"
elif command -v apt-get >/dev/null 2>&1 && as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist >/dev/null; then
  echo "setup: installed dataset-fashion-mnist"
else
  echo "setup: could not install dataset-fashion-mnist (no apt-get, or neither root nor sudo): the demo will use the committed slice in examples/data/fashion-mnist-slice" >&2
fi

echo "setup: npm ci"
npm ci --no-audit --no-fund --loglevel=error
echo "setup: npm run build"
npm run build --silent >/dev/null
echo "setup: done (npm run demo)"
