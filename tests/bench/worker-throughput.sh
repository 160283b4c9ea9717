#!/usr/bin/env bash
# Worker throughput benchmark. In one run:
#   (r) `periscope worker` delivers EVENTS (default 10,000) spooled events to the test ingest
#       (tests/Periscope.TestIngest, Kestrel on 127.0.0.1) and exits when the spool is empty;
#   (l) the same worker, same events, in local mode (ledger only): the baseline without HTTP;
#   (h) the AOT hello world: the floor of peak RSS.
# Each is run ROUNDS times (default 5), interleaved; prints medians of total time, events/s,
# requests made and peak RSS, the ratios r/l and RSS(r)/RSS(h), against the targets
# total <= 2 s and peak RSS <= 36 MB. A report, not a test: it never fails on a number.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/setup.sh
EVENTS="${EVENTS:-10000}"
ROUNDS="${ROUNDS:-5}"

dotnet build tests/Periscope.TestIngest -c Release -nologo -v q >/dev/null
ingest_dll=tests/Periscope.TestIngest/bin/Release/net10.0/Periscope.TestIngest.dll

# EVENTS distinct real events (the recorded fixture under ids of its own), made once and copied per round.
events="$work/throughput-events"
spool_events "$events" "$EVENTS"

# run_worker MODE: prints "seconds peak_rss_kb" of one worker draining a fresh copy of the events.
run_worker() {
  local home="$work/throughput-state"
  rm -rf "$home"; mkdir -p "$home/spool"; cp "$events"/*.json "$home/spool/"
  local config="$work/no-such-analytics.json"
  [ "$1" = remote ] && config="$work/throughput-analytics.json"
  PERISCOPE_HOME="$home" PERISCOPE_CONFIG="$config" PERISCOPE_TOKEN=bench PERISCOPE_WORKER_IDLE_SECONDS=0 \
    /usr/bin/time -f "%e %M" -o "$work/throughput-time" "$periscope" worker
  left=$(ls "$home/spool" | grep -c '\.json$' || true)
  [ "$left" -eq 0 ] || { echo "worker-throughput: $left events left in the spool ($1)" >&2; exit 1; }
  cat "$work/throughput-time"
}

fifo="$work/throughput-ingest.in"; rm -f "$fifo"; mkfifo "$fifo"
dotnet "$ingest_dll" <"$fifo" >"$work/throughput-ingest.out" &
ingest=$!
exec 3>"$fifo"
for _ in $(seq 1 100); do grep -q listening "$work/throughput-ingest.out" 2>/dev/null && break; sleep 0.1; done
endpoint=$(sed -n 's/^listening //p' "$work/throughput-ingest.out")
printf '{"endpoint": "%s"}\n' "$endpoint" > "$work/throughput-analytics.json"

r_times=(); r_rss=(); l_times=(); h_rss=()
for round in $(seq 1 "$ROUNDS"); do
  read -r t m < <(run_worker remote); r_times+=("$t"); r_rss+=("$m")
  read -r t m < <(run_worker local); l_times+=("$t")
  /usr/bin/time -f "%M" -o "$work/throughput-time" "$work/hello/hello" >/dev/null; h_rss+=("$(cat "$work/throughput-time")")
done
exec 3>&-
wait "$ingest"
read -r requests received stored < <(sed -n 's/^requests=\([0-9]*\) events=\([0-9]*\) stored=\([0-9]*\)$/\1 \2 \3/p' "$work/throughput-ingest.out")

rt=$(median "${r_times[@]}"); rm_=$(median "${r_rss[@]}"); lt=$(median "${l_times[@]}"); hm=$(median "${h_rss[@]}")
echo "events per round: $EVENTS, rounds: $ROUNDS (interleaved)"
echo "(r) worker -> test ingest   median ${rt} s   peak RSS ${rm_} KB"
echo "(l) worker -> ledger only   median ${lt} s"
echo "(h) AOT hello (floor)       peak RSS ${hm} KB"
echo "ingest saw $requests requests, $received events, $stored distinct (all rounds; $(( requests / ROUNDS )) requests a round)"
awk -v rt="$rt" -v lt="$lt" -v rss="$rm_" -v h="$hm" -v n="$EVENTS" 'BEGIN {
  printf "throughput = %.0f events/s\n", n / (rt > 0 ? rt : 0.01)
  printf "total = %.2f s   (target <= 2 s)\n", rt
  printf "r/l = %.2f   (upload over writing the ledger alone)\n", rt / (lt > 0 ? lt : 0.01)
  printf "peak RSS = %.1f MB   (target <= 36 MB); RSS(r)/RSS(h) = %.1f\n", rss / 1024, rss / h
}'
