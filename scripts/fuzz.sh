#!/usr/bin/env bash
# Builds the libFuzzer targets (fuzz/) in the ASan+UBSan tree build-asan/
# (scripts/asan-tree.sh; nothing left to build after test-sanitizers.sh)
# and runs each for a bounded time from its checked-in seed corpus
# (fuzz/corpus/<target>/), as many targets at a time as there are cores.
# New interesting inputs go to
# build-fuzz/corpus/<target>/, crashes to build-fuzz/crashes/ (the script
# then fails and prints the reproducer's path).
#   CASUS_FUZZ_SECONDS  seconds per target (default 30, which keeps .ci/run under
#                       35 minutes with four targets; e.g. 3600 locally)
#   CASUS_FUZZ_TARGETS  space-separated subset (default: all)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"  # corpora, crashes, logs
seconds=${CASUS_FUZZ_SECONDS:-30}
targets=${CASUS_FUZZ_TARGETS:-"fuzz_workflow_loader fuzz_api_bodies fuzz_http_request fuzz_oidc_tokens"}

source "$root/scripts/asan-tree.sh"
tree=$(configure_asan_tree "$root")
mkdir -p "$build"
# shellcheck disable=SC2086
ninja -C "$tree" -j "${CASUS_JOBS:-$(nproc)}" $targets >"$build/fuzz-build.log" 2>&1 ||
  { tail -40 "$build/fuzz-build.log"; exit 1; }

mkdir -p "$build/crashes"
# One core per target, as many at a time as there are cores: on the
# 2-core CI machine the four targets take two rounds of $seconds s
# instead of four, each still with a full core for its whole time.
run_target() {
  local target=$1 corpus="$build/corpus/$1" log="$build/$1.log" tmp="$build/tmp/$1" started
  mkdir -p "$corpus" "$tmp"
  started=$(date +%s)
  # The fuzz environment's SQLite file lives under TMPDIR: one per target.
  if TMPDIR="$tmp" "$tree/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$build/crashes/$target-" \
      "$corpus" "$root/fuzz/corpus/$target" >"$log" 2>&1; then
    local runs cov
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
    echo "fuzz: $target ok ($runs runs, ${cov:-cov ?}, $(( $(date +%s) - started )) s)" >"$build/$target.result"
  else
    { echo "fuzz: $target FAILED (log: $log)"
      grep -E 'ERROR|SUMMARY|answered|Test unit written' "$log" | head -20 || tail -30 "$log"; } >"$build/$target.result"
    return 1
  fi
}

rm -rf "${build:?}/tmp"
status=0
parallel=${CASUS_JOBS:-$(nproc)}
running=0
for target in $targets; do
  if [ "$running" -ge "$parallel" ]; then
    wait -n || status=1
    running=$((running - 1))
  fi
  run_target "$target" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || status=1
  running=$((running - 1))
done
for target in $targets; do cat "$build/$target.result"; done
rm -rf "${build:?}/tmp"
exit $status
