#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) in the ASan+UBSan tree build-asan/
# (scripts/asan-tree.sh; nothing left to build after test-sanitizers.sh)
# and runs each for a bounded time from its checked-in seed corpus
# (fuzz/corpus/<target>/). New interesting inputs go to
# build-fuzz/corpus/<target>/, crashes to build-fuzz/crashes/ (the script
# then fails and prints the reproducer's path).
#   CASUS_FUZZ_SECONDS  seconds per target (default 45; e.g. 3600 locally)
#   CASUS_FUZZ_TARGETS  space-separated subset (default: all)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"  # corpora, crashes, logs
seconds=${CASUS_FUZZ_SECONDS:-45}
targets=${CASUS_FUZZ_TARGETS:-"fuzz_workflow_loader fuzz_api_bodies fuzz_http_request"}

source "$root/scripts/asan-tree.sh"
tree=$(configure_asan_tree "$root")
mkdir -p "$build"
# shellcheck disable=SC2086
ninja -C "$tree" -j "${CASUS_JOBS:-$(nproc)}" $targets >"$build/fuzz-build.log" 2>&1 ||
  { tail -40 "$build/fuzz-build.log"; exit 1; }

mkdir -p "$build/crashes" "$build/tmp"
status=0
for target in $targets; do
  corpus="$build/corpus/$target"
  mkdir -p "$corpus"
  log="$build/$target.log"
  # The fuzz environment's SQLite file lives under TMPDIR; clean it after.
  rm -rf "${build:?}/tmp/"*
  started=$(date +%s)
  if TMPDIR="$build/tmp" "$tree/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/crashes/$target-" \
      "$corpus" "$root/fuzz/corpus/$target" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    echo "fuzz: $target ok ($runs runs, ${cov:-cov ?}, $(( $(date +%s) - started )) s)"
  else
    echo "fuzz: $target FAILED (log: $log)"
    grep -E 'ERROR|SUMMARY|answered|Test unit written' "$log" | head -20 || tail -30 "$log"
    status=1
  fi
done
rm -rf "${build:?}/tmp"
exit $status
