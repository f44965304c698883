# Sourced by test-sanitizers.sh and fuzz.sh: the one ASan+UBSan build tree,
# build-asan/. clang builds it with CASUS_FUZZ=ON, so everything is compiled
# once with -fsanitize=address,undefined plus libFuzzer's coverage
# instrumentation (-fsanitize=fuzzer-no-link): the whole test suite runs
# from it and the fuzzers link against the same objects. One sanitizer build
# instead of two saved about 8 minutes of CI (docs/build-times.md).
# -O1 with line tables (-g1): symbolised stack traces with file and line.
#   configure_asan_tree ROOT  ->  prints the tree's path
# Also sets compiler_launcher: ccache when installed, for every sanitizer tree.

compiler_launcher=()
if command -v ccache >/dev/null; then compiler_launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi

configure_asan_tree() {
  local root=$1 tree="$1/build-asan"
  # A tree configured otherwise (g++, before the fuzzers joined it) cannot
  # switch compilers in place.
  if [ -f "$tree/CMakeCache.txt" ] && ! grep -q '^CASUS_FUZZ:BOOL=ON' "$tree/CMakeCache.txt"; then
    rm -rf "$tree"
  fi
  CXX=clang++ cmake -S "$root" -B "$tree" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
    -DCASUS_FUZZ=ON "${compiler_launcher[@]}" "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" >/dev/null
  echo "$tree"
}
