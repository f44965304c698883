#!/usr/bin/env bash
# Installs the web application's npm packages (chart.js for the dashboard,
# elkjs for the workflow diagrams, playwright-core for the browser tests) exactly as package-lock.json pins
# them, with `npm ci`. Installs Debian's nodejs and npm first when node or
# npm is missing. Idempotent: skips npm ci when node_modules already matches
# the lock file. playwright-core downloads no browser; the tests drive
# Debian's chromium (scripts/debian-packages.txt).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-web: installing nodejs and npm"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm
fi
stamp=node_modules/.casus-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "install-web: node_modules matches package-lock.json"
  exit 0
fi
echo "install-web: npm ci"
npm ci --no-audit --no-fund --loglevel=error
echo "$want" > "$stamp"
