#!/usr/bin/env bash
# Configures and builds Casus into build/ (Ninja).
#   scripts/build.sh [TARGET...] [-- CMAKE_ARGS...]
# With no target, everything the configuration holds (tests included when
# BUILD_TESTING is on, the default). CASUS_JOBS sets the parallel jobs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
targets=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do targets+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE="${CASUS_BUILD_TYPE:-RelWithDebInfo}" "$@" >/dev/null
ninja -C "$root/build" -j "${CASUS_JOBS:-$(nproc)}" "${targets[@]}"
