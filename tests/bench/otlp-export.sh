#!/usr/bin/env bash
# OTLP export benchmark. In one run:
#   (o) `periscope worker` exports EVENTS (default 10,000) spooled events to a real OTLP receiver,
#       the .NET Aspire Dashboard (restored with the tests), as log records and delta metrics over
#       OTLP/HTTP protobuf, configured by OTEL_EXPORTER_OTLP_ENDPOINT alone, and exits when the spool is empty;
#   (l) the same worker, same events, in local mode (ledger only): the baseline without HTTP;
#   (r) the receiver alone: the worker's very requests (recorded once against a stub that answers
#       200), replayed in order over one keep-alive connection: the floor no exporter can beat;
#   (h) the AOT hello world: the floor of peak RSS.
# Each is run ROUNDS times (default 3), interleaved; prints medians of total time and peak RSS,
# against the targets total <= 2 s and peak RSS <= 40 MB. A report, not a test: it never fails on a number.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/setup.sh
EVENTS="${EVENTS:-10000}"
ROUNDS="${ROUNDS:-3}"
dashboard="${NUGET_PACKAGES:-$HOME/.nuget/packages}/aspire.dashboard.sdk.linux-x64/13.6.5/tools/Aspire.Dashboard"
[ -x "$dashboard" ] || dotnet restore tests/Periscope.Tests -nologo -v q >/dev/null
[ -x "$dashboard" ] || { echo "otlp-export: the Aspire Dashboard is missing at $dashboard (linux-x64 only)" >&2; exit 1; }

events="$work/otlp-events"
spool_events "$events" "$EVENTS"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
ui=$(free_port); otlp=$(free_port)
(cd "$(dirname "$dashboard")" && ASPNETCORE_URLS="http://127.0.0.1:$ui" ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://127.0.0.1:$otlp" \
  DASHBOARD__OTLP__AUTHMODE=Unsecured DASHBOARD__FRONTEND__AUTHMODE=Unsecured DASHBOARD__API__ENABLED=true DASHBOARD__API__AUTHMODE=Unsecured \
  exec "$dashboard" >"$work/otlp-dashboard.log" 2>&1) &
receiver=$!
trap 'kill $receiver 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$ui/api/telemetry/resources" >/dev/null && break; sleep 0.1; done

# run_worker MODE: prints "seconds peak_rss_kb" of one worker draining a fresh copy of the events.
run_worker() {
  local home="$work/otlp-state"
  rm -rf "$home"; mkdir -p "$home/spool"; cp "$events"/*.json "$home/spool/"
  local endpoint=""
  [ "$1" = otlp ] && endpoint="http://127.0.0.1:$otlp"
  OTEL_EXPORTER_OTLP_ENDPOINT="$endpoint" PERISCOPE_HOME="$home" PERISCOPE_CONFIG="$work/no-such-analytics.json" PERISCOPE_WORKER_IDLE_SECONDS=0 \
    /usr/bin/time -f "%e %M" -o "$work/otlp-time" "$periscope" worker
  left=$(ls "$home/spool" | grep -c '\.json$' || true)
  [ "$left" -eq 0 ] || { echo "otlp-export: $left events left in the spool ($1)" >&2; cat "$home/status-otlp.json" >&2 || true; exit 1; }
  cat "$work/otlp-time"
}

# The worker's requests, recorded once: a stub receiver keeps each body, in order.
capture="$work/otlp-capture"; rm -rf "$capture"; mkdir -p "$capture"
stub=$(free_port)
python3 - "$stub" "$capture" <<'PY' &
import http.server, sys
port, out, n = int(sys.argv[1]), sys.argv[2], [0]
class Stub(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        n[0] += 1
        open(f"{out}/{n[0]:05d}{self.path.replace('/', '_')}", "wb").write(body)
        self.send_response(200); self.send_header("Content-Type", "application/x-protobuf"); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
http.server.HTTPServer(("127.0.0.1", port), Stub).serve_forever()
PY
recorder=$!
for _ in $(seq 1 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $stub)).close()" 2>/dev/null && break; sleep 0.05; done
rm -rf "$work/otlp-state"; mkdir -p "$work/otlp-state/spool"; cp "$events"/*.json "$work/otlp-state/spool/"
OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$stub" PERISCOPE_HOME="$work/otlp-state" PERISCOPE_CONFIG="$work/no-such-analytics.json" PERISCOPE_WORKER_IDLE_SECONDS=0 "$periscope" worker
kill $recorder
cat > "$work/otlp-replay.py" <<'PY'
import http.client, os, sys, time
port, folder = int(sys.argv[1]), sys.argv[2]
connection = http.client.HTTPConnection("127.0.0.1", port)
start = time.monotonic()
for name in sorted(os.listdir(folder)):
    path = "/" + name[5:].strip("_").replace("_", "/")
    connection.request("POST", path, open(os.path.join(folder, name), "rb").read(), {"Content-Type": "application/x-protobuf"})
    response = connection.getresponse(); response.read()
    if response.status != 200: sys.exit(f"replay: {path} answered {response.status}")
print(f"{time.monotonic() - start:.2f}")
PY

o_times=(); o_rss=(); l_times=(); h_rss=(); r_times=()
for round in $(seq 1 "$ROUNDS"); do
  read -r t m < <(run_worker otlp); o_times+=("$t"); o_rss+=("$m")
  read -r t m < <(run_worker local); l_times+=("$t")
  r_times+=("$(python3 "$work/otlp-replay.py" "$otlp" "$capture")")
  /usr/bin/time -f "%M" -o "$work/otlp-time" "$work/hello/hello" >/dev/null; h_rss+=("$(cat "$work/otlp-time")")
done
received=$(curl -s "http://127.0.0.1:$ui/api/telemetry/logs?limit=1" | sed -nE 's/.*"totalCount":([0-9]+).*/\1/p')

rt=$(median "${r_times[@]}"); ot=$(median "${o_times[@]}"); om=$(median "${o_rss[@]}"); lt=$(median "${l_times[@]}"); hm=$(median "${h_rss[@]}")
echo "events per round: $EVENTS, rounds: $ROUNDS (interleaved)"
echo "(o) worker -> Aspire Dashboard (OTLP/HTTP protobuf)   median ${ot} s   peak RSS ${om} KB"
echo "(r) receiver alone: the same $(ls "$capture" | wc -l) requests replayed   median ${rt} s"
echo "(l) worker -> ledger only                            median ${lt} s"
echo "(h) AOT hello (floor)                                peak RSS ${hm} KB"
echo "the dashboard holds ${received:-?} log records (it keeps at most 10,000)"
awk -v rt="$rt" -v ot="$ot" -v lt="$lt" -v rss="$om" -v h="$hm" -v n="$EVENTS" 'BEGIN {
  printf "throughput = %.0f events/s\n", n / (ot > 0 ? ot : 0.01)
  printf "total = %.2f s   (target <= 2 s)\n", ot
  printf "o/l = %.2f   (export over writing the ledger alone)\n", ot / (lt > 0 ? lt : 0.01)
  printf "o/r = %.2f   (export over the receiver taking the same requests from a replay: its floor)\n", ot / (rt > 0 ? rt : 0.01)
  printf "peak RSS = %.1f MB   (target <= 40 MB); RSS(o)/RSS(h) = %.1f\n", rss / 1024, rss / h
}'
