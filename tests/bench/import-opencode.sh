#!/usr/bin/env bash
# Import benchmark. An OpenCode database laid out as OpenCode 1.18 lays it out, with MESSAGES
# (default 100,000) finished assistant messages, as many user messages, over 2,000 sessions and
# 6 models (the shape of the recorded sessions in tests/Periscope.Tests/Fixtures/opencode). In one run:
#   (i) periscope import opencode       into an empty state directory, local mode: read, build the
#                                       events, deliver them into the ledger
#   (a) periscope import opencode again  everything is in the ledger: read, compare, write nothing
#   (f) sqlite3 SELECT of the same rows  the floor: SQLite reading what the import reads
# Each ROUNDS times (default 5), interleaved; prints medians, messages/s, peak RSS and the ratios,
# against the target: importing 100k messages <= 5 s. A report, not a test: it never fails on a number.
set -euo pipefail
cd "$(dirname "$0")/../.."
source tests/bench/setup.sh
MESSAGES="${MESSAGES:-100000}"
ROUNDS="${ROUNDS:-5}"
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }

db="$work/import/opencode.db"
if [ "$(cat "$work/import/messages" 2>/dev/null)" != "$MESSAGES" ]; then
  rm -rf "$work/import"; mkdir -p "$work/import"
  awk -v n="$MESSAGES" 'BEGIN {
    print "PRAGMA journal_mode=WAL;"
    print "CREATE TABLE session (id text PRIMARY KEY, project_id text NOT NULL, parent_id text, slug text NOT NULL, directory text NOT NULL, title text NOT NULL, version text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL);"
    print "CREATE TABLE message (id text PRIMARY KEY, session_id text NOT NULL, time_created integer NOT NULL, time_updated integer NOT NULL, data text NOT NULL);"
    print "BEGIN;"
    t0 = 1793000000000   # 2026-10-26, epoch ms
    split("claude-sonnet-4-5 gpt-5 gemini-2.5-pro qwen3-coder kimi-k2 fake-model", models, " ")
    split("anthropic openai google", providers, " ")
    for (s = 0; s < 2000; s++)
      printf "INSERT INTO session VALUES (\047ses_bench%d\047, \047global\047, NULL, \047slug\047, \047/nowhere\047, \047Session %d\047, \0471.18.33\047, %.0f, %.0f);\n", s, s, t0 + s * 1000, t0 + s * 1000 + 86400000
    for (i = 0; i < n; i++) {
      s = i % 2000; c = t0 + s * 1000 + i * 20
      printf "INSERT INTO message VALUES (\047msg_u%d\047, \047ses_bench%d\047, %.0f, %.0f, \047{\"role\":\"user\",\"time\":{\"created\":%.0f},\"agent\":\"build\",\"model\":{\"providerID\":\"%s\",\"modelID\":\"%s\"}}\047);\n", i, s, c - 1, c - 1, c - 1, providers[i % 3 + 1], models[i % 6 + 1]
      printf "INSERT INTO message VALUES (\047msg_a%d\047, \047ses_bench%d\047, %.0f, %.0f, \047{\"parentID\":\"msg_u%d\",\"role\":\"assistant\",\"mode\":\"build\",\"agent\":\"build\",\"path\":{\"cwd\":\"/nowhere\",\"root\":\"/nowhere\"},\"cost\":0.01%d,\"tokens\":{\"total\":%d,\"input\":%d,\"output\":%d,\"reasoning\":0,\"cache\":{\"write\":0,\"read\":1200}},\"modelID\":\"%s\",\"providerID\":\"%s\",\"time\":{\"created\":%.0f,\"completed\":%.0f},\"finish\":\"stop\"}\047);\n", i, s, c, c, i, i % 97, 1520 + i % 500, 300 + i % 500, 20 + i % 50, models[i % 6 + 1], providers[i % 3 + 1], c, c + 2000
    }
    print "COMMIT;"
  }' | sqlite3 "$db" >/dev/null
  echo "$MESSAGES" > "$work/import/messages"
fi

# run NAME CMD...: appends "seconds peak_rss_kb" to $work/import-NAME.
run() { local name=$1; shift; /usr/bin/time -f "%e %M" -o "$work/import-time" "$@" >/dev/null; cat "$work/import-time" >> "$work/import-$name"; }
rm -f "$work"/import-{i,a,f}
state="$work/import/state"
for _ in $(seq 1 "$ROUNDS"); do
  rm -rf "$state"
  run i env PERISCOPE_HOME="$state" PERISCOPE_CONFIG="$work/import/none.json" "$periscope" import opencode --database "$db"
  run a env PERISCOPE_HOME="$state" PERISCOPE_CONFIG="$work/import/none.json" "$periscope" import opencode --database "$db"
  run f sqlite3 "$db" "SELECT id, session_id, data FROM message"
done

# The ledger must hold every message once.
check=$(PERISCOPE_HOME="$state" PERISCOPE_CONFIG="$work/import/none.json" "$periscope" stats --json)
grep -q "\"messages\": $MESSAGES,\?$" <<<"$check" || { echo "import-opencode: stats did not count $MESSAGES messages: ${check:0:300}" >&2; exit 1; }

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
it=$(cut -d' ' -f1 "$work/import-i" | median); im=$(cut -d' ' -f2 "$work/import-i" | median)
at=$(cut -d' ' -f1 "$work/import-a" | median); am=$(cut -d' ' -f2 "$work/import-a" | median)
ft=$(cut -d' ' -f1 "$work/import-f" | median); fm=$(cut -d' ' -f2 "$work/import-f" | median)
echo "database: $MESSAGES assistant and $MESSAGES user messages, 2,000 sessions, $(du -sh "$db" | cut -f1); rounds: $ROUNDS (interleaved)"
echo "(i) periscope import opencode          median ${it} s   peak RSS ${im} KB"
echo "(a) the same again (nothing to import) median ${at} s   peak RSS ${am} KB"
echo "(f) sqlite3 SELECT (floor)             median ${ft} s   peak RSS ${fm} KB"
awk -v i="$it" -v a="$at" -v f="$ft" -v n="$MESSAGES" 'BEGIN {
  printf "import: %.0f messages/s; %.2f s for %d messages   (target: <= 5 s for 100k)\n", n / (i > 0 ? i : 0.01), i, n
  printf "i/f = %.1f   a/f = %.1f   (import and a second run over reading the rows alone)\n", i / (f > 0 ? f : 0.01), a / (f > 0 ? f : 0.01)
}'
