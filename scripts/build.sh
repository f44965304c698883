#!/usr/bin/env bash
# Configures and builds Casus into build/ (Ninja). Extra arguments go to cmake.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE="${CASUS_BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
ninja -C "$root/build" -j "${CASUS_JOBS:-$(nproc)}"
