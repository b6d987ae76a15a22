#!/usr/bin/env bash
# Runs a command while busy loops compete for every core, to show that tests
# do not depend on the machine's load (a test that waits "long enough"
# instead of for an event fails here first).
#
#   scripts/ci/cpu-hog.sh [-n LOOPS] [--] COMMAND [ARG...]
#
# Starts LOOPS busy loops (default: one per core, from nproc) at normal
# priority, runs COMMAND with them spinning, then stops them (only them, by
# their pids, also when the script is interrupted) and exits with COMMAND's
# status. It prints the loops' pids, the command's wall time, and how much
# CPU the loops got (so a run can show that they really competed).
#
# Example: scripts/ci/cpu-hog.sh -- npx vitest run test/distributed --project default
set -u

loops=$(nproc)
while [ $# -gt 0 ]; do
  case "$1" in
    -n) loops="$2"; shift 2 ;;
    --) shift; break ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) break ;;
  esac
done
if [ $# -eq 0 ]; then
  echo "usage: $0 [-n LOOPS] [--] COMMAND [ARG...]" >&2
  exit 2
fi
case "$loops" in ''|*[!0-9]*) echo "$0: -n wants a whole number, got '$loops'" >&2; exit 2 ;; esac

pids=()
stop_loops() {
  [ ${#pids[@]} -eq 0 ] && return
  local total=0 pid ticks
  for pid in "${pids[@]}"; do
    # utime + stime in clock ticks (fields 14 and 15 of /proc/<pid>/stat), read before the kill.
    ticks=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0)
    total=$((total + ticks))
    kill "$pid" 2>/dev/null
  done
  wait "${pids[@]}" 2>/dev/null
  echo "cpu-hog: stopped ${#pids[@]} busy loop(s) (pids ${pids[*]}); they used $((total / $(getconf CLK_TCK))) s of CPU" >&2
  pids=()
}
trap 'stop_loops; exit 130' INT
trap 'stop_loops; exit 143' TERM
trap stop_loops EXIT

for _ in $(seq 1 "$loops"); do
  ( while :; do :; done ) &
  pids+=($!)
done
echo "cpu-hog: ${loops} busy loop(s) running (pids ${pids[*]}) on $(nproc) core(s)" >&2

start=$(date +%s)
"$@"
status=$?
end=$(date +%s)
echo "cpu-hog: '$*' exited ${status} after $((end - start)) s of wall time" >&2
stop_loops
exit "$status"
