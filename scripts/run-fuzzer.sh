#!/usr/bin/env bash
# Runs the addon fuzzer (npm run build:fuzz first) for a bounded time, from
# the committed seed corpus, and prints libFuzzer's final statistics. New
# inputs go to a scratch corpus, so fuzz/corpus stays as committed; a finding
# is written to the artifact folder and the exit status is nonzero.
#
#   scripts/run-fuzzer.sh [seconds (default 60)] [artifact folder (default build-fuzz/findings)]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
findings="${2:-build-fuzz/findings}"
fuzzer=build-fuzz/addon_fuzzer
[ -x "$fuzzer" ] || { echo "run-fuzzer: no $fuzzer: run npm run build:fuzz" >&2; exit 2; }
mkdir -p "$findings"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
# -timeout: one input taking 10 s is a finding (a hang); -rss_limit_mb: so is
# memory growing past 2 GB, which the fuzzer's size caps cannot reach.
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$findings/" "$scratch" fuzz/corpus
