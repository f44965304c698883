#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh
scripts/install-web.sh
scripts/build.sh
cd build
ctest --output-on-failure --timeout 600 -j "${CASUS_JOBS:-$(nproc)}"
cd "$root"
# The suite again under ASan+UBSan and TSan, then each fuzz target for a
# bounded time (CASUS_FUZZ_SECONDS). One line per step; fails on any finding.
scripts/test-sanitizers.sh
scripts/fuzz.sh
