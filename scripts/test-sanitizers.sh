#!/usr/bin/env bash
# The test suite under sanitizers, each in its own build directory:
#   build-asan  every test but the browser suite, the TLS scan and the API
#               suite's PostgreSQL run under
#               AddressSanitizer + UndefinedBehaviorSanitizer, built by clang
#               together with the fuzzers (scripts/asan-tree.sh)
#   build-tsan  the storage, server and live-event tests under ThreadSanitizer (g++)
# Both build at -O1 with line tables (-g1): symbolised stack traces with file
# and line, and a faster build than -O2 -g. TSan builds only the three
# binaries it runs; ASan builds everything ctest runs, and the fuzzers.
# Any report fails the run (-fno-sanitize-recover, halt_on_error). Prints one
# line per step; on failure the ctest output of the failing tests.
#   CASUS_SANITIZERS  "asan tsan" (default) or one of them
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=${CASUS_JOBS:-$(nproc)}
source "$root/scripts/asan-tree.sh"
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$root/scripts/tsan.supp"

# configure_gcc_tree DIR FLAGS: a g++ tree with the sanitizer FLAGS.
configure_gcc_tree() {
  cmake -S "$root" -B "$1" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON "${compiler_launcher[@]}" \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
    "-DCMAKE_CXX_FLAGS=$2 -fno-omit-frame-pointer" "-DCMAKE_EXE_LINKER_FLAGS=$2" >/dev/null
}

# run_step NAME BUILD_DIR [TEST_BINARIES...]: in a configured tree, builds
# them (or everything) and runs them directly (or everything through ctest).
run_step() {
  local name=$1 dir=$2
  shift 2
  local started
  started=$(date +%s)
  if ! ninja -C "$dir" -j "$jobs" "$@" >"$dir/sanitizer-build.log" 2>&1; then
    echo "sanitizers: $name build FAILED"
    grep -E 'error|FAILED' "$dir/sanitizer-build.log" | head -30
    return 1
  fi
  local built=$(( $(date +%s) - started )) log="$dir/sanitizer-test.log" summary=""
  : >"$log"
  if [ $# -eq 0 ]; then
    if ! (cd "$dir" && ctest --timeout 900 -j "$jobs" "${ctest_exclude[@]}" >"$log" 2>&1); then
      echo "sanitizers: $name tests FAILED (log: $log)"
      (cd "$dir" && ctest --rerun-failed --output-on-failure --timeout 900 2>&1 |
        grep -E -A25 'ERROR: (Address|Leak)Sanitizer|runtime error|Failure|FAILED' | head -120) || true
      return 1
    fi
    summary=$(grep -E 'tests passed' "$log" || true)
  else
    local binary
    for binary in "$@"; do
      # From the source dir, as ctest runs them.
      if ! (cd "$root" && timeout 900 "$(find "$dir/tests" -type f -name "$binary" | head -1)" >>"$log" 2>&1); then
        echo "sanitizers: $name $binary FAILED (log: $log)"
        grep -E -A25 'WARNING: ThreadSanitizer|ERROR: |runtime error|Failure|FAILED' "$log" | head -120
        return 1
      fi
    done
    summary="$(grep -c '^\[       OK \]' "$log") tests passed in $*"
  fi
  echo "sanitizers: $name ok ($summary; build ${built} s, total $(( $(date +%s) - started )) s)"
}

# GCC 12 reports -Wmaybe-uninitialized false positives inside Boost.Beast
# (optional<> in basic_parser) and libstdc++ <regex> once TSan instruments
# them (GCC documents that sanitizers make this warning unreliable); every
# other warning stays an error.
nowarn="-Wno-maybe-uninitialized"
# GCC 12 warns (-Wtsan) that TSan does not model std::atomic_thread_fence,
# which Boost.Asio uses; a race TSan then reports wrongly would need a
# suppression with its reason in scripts/tsan.supp.
tsan_nowarn="-Wno-tsan"
# Left out under ASan, since they exercise code ASan does not instrument and
# run in the README test command already: the browser suite (Chromium
# driving the web app) and the testssl.sh scan of the TLS configuration
# (OpenSSL's protocols and ciphers). Together they took 3 of the ASan
# run's 6.5 minutes. Also the suites' second runs against PostgreSQL
# (NAME_postgres, tests/CMakeLists.txt casus_test_on_postgres): the same
# instrumented code as NAME over the PostgreSQL store, whose C++ runs under
# ASan in storage_backends_test, app_test, deadlines_test and
# cli_backends_test. And the two-node tests (TwoNodes.*, 44 s of job time
# under ASan): two `casus serve` processes running that same code, which
# the README test command runs as well; this kept .ci/run under 34 minutes.
# With login through OpenID providers (#15) also left out: the node suites
# labelled oidc (a real oidc-provider driving `casus serve`, like the
# browser suite; the token checks they reach run under ASan in oidc_test
# and fuzz_oidc_tokens) and the soak test (Soak.*, 52 s of job time: it
# measures memory and descriptor growth, which ASan's own allocator
# distorts; its traffic is the API suite's, which runs here).
ctest_exclude=(-LE 'browser|oidc' -E '^Tls\.Testssl|_postgres$|^TwoNodes\.|^Soak\.')
status=0
for s in ${CASUS_SANITIZERS:-asan tsan}; do
  case $s in
    asan) run_step "ASan+UBSan" "$(configure_asan_tree "$root")" || status=1 ;;
    tsan) configure_gcc_tree "$root/build-tsan" "-fsanitize=thread $nowarn $tsan_nowarn"
          run_step "TSan" "$root/build-tsan" storage_test api_server_test api_events_test || status=1 ;;
    *) echo "sanitizers: unknown sanitizer $s"; status=1 ;;
  esac
done
exit $status
