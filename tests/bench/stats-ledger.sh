#!/usr/bin/env bash
# Stats benchmark. In one run, over a ledger of EVENTS (default 1,000,000) real-shaped events
# (the recorded assistant message under ids of its own: 6 models, 3 providers, 2,000 sessions,
# 20 repositories, 60 days over two monthly files):
#   (s) periscope stats                 the default report (by model), the ledger index in place
#   (c) periscope stats, cold           the same with the ledger index deleted first: every line parsed
#   (j) periscope stats --by session --json
#   (r) periscope report                the HTML page over the whole ledger (its 60 days)
#   (d) DuckDB                          the same question as (s), GROUP BY model over
#                                       read_json('ledger/*.jsonl'), @duckdb/node-api from npm, in node
#   (q) DuckDB, the report's questions  the columns the report reads loaded into a table, then the
#                                       report's totals, per-day, per-model/provider/repository and
#                                       per-session groupings (no dedup, no commit costs: less work)
#   (f) wc -l over the same files       the floor: reading the ledger once, parsing nothing
# Each ROUNDS times (default 5), interleaved; prints medians, events/s, peak RSS and the ratios,
# against the targets: stats and report at least as fast as DuckDB's answers (s/d <= 1, r/q <= 1), report <= 3 s and
# its page <= 2 MB for 1M events. A report, not a test: it never fails on a number.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/setup.sh
EVENTS="${EVENTS:-1000000}"
ROUNDS="${ROUNDS:-5}"
home="$work/stats-state"

if [ "$(cat "$home/events" 2>/dev/null)" != "$EVENTS" ]; then
  rm -rf "$home"; mkdir -p "$home/ledger"
  # The template once, with @ID@, @MSG@, @SES@, @MODEL@, @PROV@ and @TS@ where the values go;
  # awk then only joins strings, a million times.
  sed 's/{VERSION}/0.1.0/' "$template" | tr -d '\n' | sed -E \
    -e 's/"event_id":"[0-9a-f]*"/"event_id":"@ID@"/' -e 's/"message_id":"[^"]*"/"message_id":"@MSG@"/' \
    -e 's/"session_id":"[^"]*"/"session_id":"@SES@"/' -e 's/"model_id":"[^"]*"/"model_id":"@MODEL@"/' \
    -e 's/"provider_id":"[^"]*"/"provider_id":"@PROV@"/' \
    -e 's/"(occurred_at|created_at|completed_at)":"[^"]*"/"\1":"@TS@"/g' > "$work/stats-template"
  awk -v n="$EVENTS" -v dir="$home/ledger" '{
    split($0, parts, "@")   # parts: text, NAME, text, NAME, ... (odd indexes are text)
    split("claude-sonnet-4-5 gpt-5 gemini-2.5-pro qwen3-coder kimi-k2 fake-model", models, " ")
    split("anthropic openai google", providers, " ")
    for (i = 1; i <= n; i++) {
      day = i % 60; month = day < 30 ? "10" : "11"
      v["ID"] = sprintf("%032x", i); v["MSG"] = "msg_bench" i; v["SES"] = "ses_bench" (i % 2000)
      v["MODEL"] = models[(i % 6) + 1]; v["PROV"] = providers[(i % 3) + 1]
      v["TS"] = sprintf("2026-%s-%02dT12:00:00.000Z", month, (day % 30) + 1)
      line = ""
      for (k = 1; k in parts; k++) line = line ((k % 2) ? parts[k] : v[parts[k]])
      print line > (dir "/2026-" month ".jsonl")
    }
  }' "$work/stats-template"
  echo "$EVENTS" > "$home/events"
fi

# The ledger must be what stats reads: every event counted, none corrupt.
check=$(PERISCOPE_HOME="$home" "$periscope" stats --json)
grep -q "\"messages\": $EVENTS,\?$" <<<"$check" || { echo "stats-ledger: stats did not count $EVENTS messages: ${check:0:300}" >&2; exit 1; }

# DuckDB from npm, once (the version the targets were set with).
duck="$work/duckdb"
if [ ! -d "$duck/node_modules/@duckdb/node-api" ]; then
  mkdir -p "$duck" && (cd "$duck" && npm install --no-audit --no-fund --silent @duckdb/node-api@1.5.6-r.1 >/dev/null)
fi
cat > "$duck/by-model.mjs" <<'JS'
import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
const rows = await con.runAndReadAll(`SELECT provider_id || '/' || model_id AS model, count(*) AS messages,
  sum(tokens.input) AS input, sum(tokens.output) AS output, sum(tokens.reasoning) AS reasoning,
  sum(tokens.cache_read) AS cache_read, sum(tokens.cache_write) AS cache_write, sum(cost_usd) AS cost
  FROM read_json('${process.argv[2]}/*.jsonl') WHERE kind = 'assistant_message' GROUP BY ALL ORDER BY cost DESC`);
console.log(JSON.stringify(rows.getRowObjectsJson()));
JS
cat > "$duck/report-questions.mjs" <<'JS'
import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(`CREATE TABLE m AS SELECT session_id AS session, provider_id AS provider, provider_id || '/' || model_id AS model, agent,
  coalesce(git.repo_url, git.repo_name) AS repo, git.branch AS branch, CAST(occurred_at AS DATE) AS day, created_at, completed_at,
  tokens.input AS input, tokens.output AS output, tokens.reasoning AS reasoning, tokens.cache_read AS cache_read,
  tokens.cache_write AS cache_write, cost_usd AS cost
  FROM read_json('${process.argv[2]}/*.jsonl', columns = {kind: 'VARCHAR', session_id: 'VARCHAR', provider_id: 'VARCHAR',
    model_id: 'VARCHAR', agent: 'VARCHAR', git: 'STRUCT(repo_url VARCHAR, repo_name VARCHAR, branch VARCHAR)',
    occurred_at: 'TIMESTAMPTZ', created_at: 'TIMESTAMPTZ', completed_at: 'TIMESTAMPTZ',
    tokens: 'STRUCT(input BIGINT, output BIGINT, reasoning BIGINT, cache_read BIGINT, cache_write BIGINT)', cost_usd: 'DECIMAL(18,6)'})
  WHERE kind = 'assistant_message'`);
const out = {};
for (const [name, q] of Object.entries({
  totals: `SELECT sum(cost), sum(input + output + reasoning + cache_read + cache_write), count(*), count(DISTINCT session) FROM m`,
  costPerDayByModel: `SELECT day, model, sum(cost) FROM m GROUP BY ALL ORDER BY ALL`,
  tokensPerDay: `SELECT day, sum(input), sum(output), sum(reasoning), sum(cache_read), sum(cache_write) FROM m GROUP BY ALL ORDER BY ALL`,
  byModel: `SELECT model, sum(cost), count(*) FROM m GROUP BY ALL ORDER BY 2 DESC`,
  byProvider: `SELECT provider, sum(cost), count(*) FROM m GROUP BY ALL ORDER BY 2 DESC`,
  byRepository: `SELECT repo, branch, sum(cost), count(*) FROM m GROUP BY ALL ORDER BY 3 DESC`,
  sessions: `SELECT session, min(created_at), max(completed_at), count(*), sum(input + output + reasoning + cache_read + cache_write),
    sum(cost), any_value(agent) FROM m GROUP BY ALL ORDER BY 2 DESC`,
})) out[name] = (await con.runAndReadAll(q)).getRowsJson().length;
console.log(JSON.stringify(out));
JS
duck_messages=$(node "$duck/by-model.mjs" "$home/ledger" | grep -o '"messages":"[0-9]*"' | grep -o '[0-9]*' | awk '{ s += $1 } END { print s }')
[ "$duck_messages" = "$EVENTS" ] || { echo "stats-ledger: DuckDB counted $duck_messages messages, not $EVENTS" >&2; exit 1; }

# run NAME CMD...: appends "seconds peak_rss_kb" to $work/stats-NAME.
run() { local name=$1; shift; /usr/bin/time -f "%e %M" -o "$work/stats-time" "$@" >/dev/null; cat "$work/stats-time" >> "$work/stats-$name"; }
rm -f "$work"/stats-{s,c,j,r,d,q,f}
for _ in $(seq 1 "$ROUNDS"); do
  rm -rf "$home/ledger-index"
  run c env PERISCOPE_HOME="$home" "$periscope" stats
  run s env PERISCOPE_HOME="$home" "$periscope" stats
  run j env PERISCOPE_HOME="$home" "$periscope" stats --by session --json
  run r env PERISCOPE_HOME="$home" "$periscope" report --since 2026-10-01 --until 2026-11-30 -o "$work/stats-report.html"
  run d node "$duck/by-model.mjs" "$home/ledger"
  run q node "$duck/report-questions.mjs" "$home/ledger"
  run f wc -l "$home"/ledger/*.jsonl
done

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
st=$(cut -d' ' -f1 "$work/stats-s" | median); sm=$(cut -d' ' -f2 "$work/stats-s" | median)
ct=$(cut -d' ' -f1 "$work/stats-c" | median); cm=$(cut -d' ' -f2 "$work/stats-c" | median)
dt=$(cut -d' ' -f1 "$work/stats-d" | median); dm=$(cut -d' ' -f2 "$work/stats-d" | median)
qt=$(cut -d' ' -f1 "$work/stats-q" | median); qm=$(cut -d' ' -f2 "$work/stats-q" | median)
jt=$(cut -d' ' -f1 "$work/stats-j" | median); jm=$(cut -d' ' -f2 "$work/stats-j" | median)
rt=$(cut -d' ' -f1 "$work/stats-r" | median); rm_=$(cut -d' ' -f2 "$work/stats-r" | median)
ft=$(cut -d' ' -f1 "$work/stats-f" | median)
echo "ledger: $EVENTS events, $(du -sh "$home/ledger" | cut -f1), rounds: $ROUNDS (interleaved)"
echo "(s) periscope stats                   median ${st} s   peak RSS ${sm} KB"
echo "(c) periscope stats, index deleted   median ${ct} s   peak RSS ${cm} KB   (index: $(du -sh "$home/ledger-index" | cut -f1))"
echo "(d) DuckDB GROUP BY model             median ${dt} s   peak RSS ${dm} KB"
echo "(q) DuckDB, the report's questions     median ${qt} s   peak RSS ${qm} KB"
echo "(j) periscope stats --by session --json  median ${jt} s   peak RSS ${jm} KB"
echo "(r) periscope report (60 days)      median ${rt} s   peak RSS ${rm_} KB   page $(stat -c %s "$work/stats-report.html") bytes"
echo "(f) wc -l (floor: read once)          median ${ft} s"
awk -v s="$st" -v c="$ct" -v d="$dt" -v q="$qt" -v j="$jt" -v r="$rt" -v f="$ft" -v n="$EVENTS" -v page="$(stat -c %s "$work/stats-report.html")" 'BEGIN {
  printf "stats: %.0f events/s; total = %.2f s; s/d = %.2f   (target: s/d <= 1, as fast as DuckDB)\n", n / (s > 0 ? s : 0.01), s, s / (d > 0 ? d : 0.01)
  printf "stats with no index (first run after an upgrade, or index deleted): %.2f s; c/d = %.2f\n", c, c / (d > 0 ? d : 0.01)
  printf "report: %.2f s; r/q = %.2f   (targets: <= 3 s, r/q <= 1); page %.2f MB   (target <= 2 MB)\n", r, r / (q > 0 ? q : 0.01), page / 1048576
  printf "s/f = %.1f   j/f = %.1f   (parsing and grouping over reading alone)\n", s / (f > 0 ? f : 0.01), j / (f > 0 ? f : 0.01)
}'
