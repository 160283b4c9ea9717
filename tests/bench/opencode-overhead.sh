#!/usr/bin/env bash
# OpenCode with and without the plugin: the real OpenCode CLI, both majors (tests/e2e's pinned
# @opencode/cli 2.x and opencode-ai 1.18), each running the same scripted session RUNS times per
# variant (default 8), interleaved; prints the medians and b/a for each against the target
# b/a <= 1.05. A report, not a test: it never fails on a number.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${RUNS:-8}"
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)
[ -x "artifacts/$rid/periscope" ] || ./build.sh >/dev/null
(cd tests/e2e && [ -d node_modules/opencode-ai ] || npm install --no-audit --no-fund --loglevel=error >/dev/null)
(cd tests/e2e/opencode2 && [ -d node_modules/@opencode/cli ] || npm install --no-audit --no-fund --loglevel=error >/dev/null)
dotnet run -c Release --project tests/bench/OpenCodeOverhead -- "$RUNS"
