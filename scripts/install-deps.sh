#!/usr/bin/env bash
# Installs the Debian packages named in the given lists (default: the build
# list, scripts/debian-packages.txt) that are not installed yet. Idempotent:
# does nothing when all are present, and runs `apt-get update` only when
# something is missing.
#   scripts/install-deps.sh                                   build and run
#   scripts/install-deps.sh scripts/debian-packages.txt scripts/debian-packages-test.txt
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -gt 0 ] || set -- "$here/debian-packages.txt"
wanted=()
for list in "$@"; do
  mapfile -t -O "${#wanted[@]}" wanted < <(grep -v '^\s*#' "$list" | sed 's/\s*#.*//' | awk 'NF')
done
missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#wanted[@]} packages present"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
