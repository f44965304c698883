# Sourced by run.sh, test.sh and .ci/run: `step NAME COMMAND...` runs one
# step, then prints how long it took; `steps_summary` prints them all.
# A failing step stops the script (set -e) after saying which one failed.
_steps=()
_steps_started=$(date +%s)

step() {
  local name=$1 started status=0
  shift
  started=$(date +%s)
  echo "== $name"
  "$@" || status=$?
  local took=$(( $(date +%s) - started ))
  _steps+=("$(printf '%-28s %5d s' "$name" "$took")")
  if [ $status -ne 0 ]; then
    echo "== $name FAILED after ${took} s (exit $status)"
    steps_summary
    return $status
  fi
  echo "== $name: ${took} s"
}

steps_summary() {
  echo "== time per step"
  local line
  for line in "${_steps[@]}"; do echo "   $line"; done
  printf '   %-28s %5d s\n' "total" "$(( $(date +%s) - _steps_started ))"
}
