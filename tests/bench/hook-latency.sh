#!/usr/bin/env bash
# Hook start-up benchmark. In one run, each command started RUNS times (default 300) with stdin from a file:
#   (a) periscope hook opencode on a real completed-message payload (tests/bench/payloads)
#   (b) an AOT hello world published with the same settings (the floor; tests/bench/Hello)
#   (c) node -e 0 (what a process-spawning JS plugin would pay per hook; at most 200 runs, it is slow)
# Prints medians, the ratios a/b and c/a, peak RSS of (a) and the binary size, against the targets
# a/b <= 1.6, c/a >= 15, RSS <= 20 MB, binary <= 15 MB. A report, not a test: it never fails on a number.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/setup.sh
payload=tests/bench/payloads/completed-message.json
export PERISCOPE_HOME="$work/state"
rm -rf "$PERISCOPE_HOME"


# (a) and (b) interleaved run by run, so a change in machine load shifts both alike.
ab=$("$work/spawnbench" "$RUNS" "$WARMUP" -- "$payload" "$periscope" hook opencode -- "$payload" "$work/hello/hello")
a=$(sed -n 1p <<<"$ab")
b=$(sed -n 2p <<<"$ab")
c=$("$work/spawnbench" "$(( RUNS < 200 ? RUNS : 200 ))" 5 -- /dev/null node -e 0)

# The run must have captured the event, or (a) measured an early exit.
[ "$(ls "$PERISCOPE_HOME"/spool/*.json | wc -l)" -eq 1 ] || { echo "hook-latency: the hook did not spool the payload" >&2; exit 1; }

am=$(field median_us "$a"); bm=$(field median_us "$b"); cm=$(field median_us "$c")
rss=$(field max_rss_kb "$a")
size=$(stat -c %s "$periscope")
echo "runs per command: $RUNS (after $WARMUP warm-up)"
echo "(a) periscope hook opencode  median ${am} us  p90 $(field p90_us "$a") us  peak RSS ${rss} KB"
echo "(b) AOT hello (floor)        median ${bm} us  p90 $(field p90_us "$b") us  peak RSS $(field max_rss_kb "$b") KB"
echo "(c) node -e 0                median ${cm} us  p90 $(field p90_us "$c") us"
awk -v a="$am" -v b="$bm" -v c="$cm" -v rss="$rss" -v size="$size" 'BEGIN {
  printf "a/b = %.2f   (target <= 1.6)\n", a / b
  printf "c/a = %.1f   (target >= 15)\n", c / a
  printf "peak RSS of (a) = %.1f MB   (target <= 20 MB)\n", rss / 1024
  printf "binary = %.1f MB   (target <= 15 MB)\n", size / 1048576
}'
