# Shared by the benchmarks (sourced, from the repository root): the published binary, the AOT
# hello-world floor built with the same settings, and the spawn loop. Sets RUNS, WARMUP, work,
# periscope and field().
export PERISCOPE_WORKER=off   # the benchmarks measure the hook alone and read the spool it leaves
RUNS="${RUNS:-300}"
WARMUP="${WARMUP:-20}"
work="$PWD/artifacts/bench"
mkdir -p "$work"

# This machine's build (artifacts/ may also hold cross-built ones, e.g. linux-arm64).
os=linux; ldd --version 2>&1 | grep -qi musl && os=linux-musl; [ "$(uname -s)" = Darwin ] && os=osx
rid="${PERISCOPE_RID:-$os-$(uname -m | sed -e s/x86_64/x64/ -e s/aarch64/arm64/ -e s/amd64/x64/)}"
periscope="$PWD/artifacts/$rid/periscope"
[ -x "$periscope" ] || ./build.sh >/dev/null
dotnet publish tests/bench/Hello/Hello.csproj -c Release -r "$rid" -o "$work/hello" -nologo >/dev/null
gcc -O2 -o "$work/spawnbench" tests/bench/spawnbench.c

# field NAME LINE: a number from a spawnbench result line.
field() { sed -E "s/.*$1=([0-9]+).*/\1/" <<<"$2"; }

# The recorded assistant message the delivery benchmarks spool, under ids of their own.
template=tests/Periscope.Tests/Fixtures/expected/assistant-message-tool-calls.json

# spool_events DIR COUNT: COUNT distinct real events as spool files in DIR, made once and reused.
spool_events() {
  local dir="$1" count="$2" body id i
  [ "$(ls "$dir" 2>/dev/null | wc -l)" -eq "$count" ] && return
  rm -rf "$dir"; mkdir -p "$dir"
  body=$(sed 's/{VERSION}/0.1.0/' "$template")
  for i in $(seq 1 "$count"); do
    id=$(printf '%032x' "$i")
    printf '%s' "$body" | sed "s/\"event_id\":\"[0-9a-f]*\"/\"event_id\":\"$id\"/; s/\"message_id\":\"[^\"]*\"/\"message_id\":\"msg_bench$i\"/" > "$dir/$id.json"
  done
}

# median VALUE...: the middle value (the upper one of an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
