#!/usr/bin/env bash
# OpenCode with and without the plugin: the real OpenCode CLI (tests/e2e's pinned opencode-ai)
# runs the same scripted session RUNS times per variant (default 8), interleaved; prints the
# medians and b/a against the target b/a <= 1.05. A report, not a test: it never fails on a number.
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS="${RUNS:-8}"
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -1)
[ -x "artifacts/$rid/periscope" ] || ./build.sh >/dev/null
(cd tests/e2e && [ -d node_modules/opencode-ai ] || npm install --no-audit --no-fund --loglevel=error >/dev/null)
dotnet run -c Release --project tests/bench/OpenCodeOverhead -- "$RUNS"
