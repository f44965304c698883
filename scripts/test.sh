#!/usr/bin/env bash
# Installs what is missing, builds everything and runs every test through
# ctest: unit, server, api, hostile, reliability and browser (README,
# "Tests"). Prints how long each step took. The sanitizer and fuzz runs are
# separate (scripts/test-sanitizers.sh, scripts/fuzz.sh; .ci/run runs all).
#   CASUS_JOBS   parallel build jobs and tests (default: the number of cores)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
source scripts/steps.sh
jobs=${CASUS_JOBS:-$(nproc)}
step "packages" scripts/install-deps.sh scripts/debian-packages.txt scripts/debian-packages-test.txt
step "web packages (npm ci)" scripts/install-web.sh
step "build" scripts/build.sh -- -DBUILD_TESTING=ON
step "ctest" ctest --test-dir build --output-on-failure --timeout 600 -j "$jobs"
steps_summary
