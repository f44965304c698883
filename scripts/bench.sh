#!/usr/bin/env bash
# Benchmarks (not part of the test run): installs what they need (Debian
# packages from scripts/debian-packages.txt and bench/debian-packages.txt,
# only what is missing), builds Casus and the benchmark programs in Release
# mode into build-bench/, runs everything (bounded: under 15 minutes on 2
# cores) and writes bench/RESULTS.md and bench/results.json.
# Arguments select parts while developing: transitions, https, scale, postgres.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/install-deps.sh scripts/debian-packages.txt bench/debian-packages.txt
# -O3 in GCC 12 reports false positives (-Wrestrict in std::string concatenation),
# so warnings are not errors in this build; the test build keeps -Werror.
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DCASUS_BENCH=ON -DBUILD_TESTING=OFF -DCASUS_WERROR=OFF "${launcher[@]}" >/dev/null
ninja -C build-bench -j "${CASUS_JOBS:-$(nproc)}" casus transitions_bench pg_transitions_bench fanout_bench
exec python3 bench/run_bench.py "$@"
