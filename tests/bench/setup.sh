# Shared by the benchmarks (sourced, from the repository root): the published binary, the AOT
# hello-world floor built with the same settings, and the spawn loop. Sets RUNS, WARMUP, work,
# periscope and field().
export PERISCOPE_WORKER=off   # the benchmarks measure the hook alone and read the spool it leaves
RUNS="${RUNS:-300}"
WARMUP="${WARMUP:-20}"
work="$PWD/artifacts/bench"
mkdir -p "$work"

[ -x artifacts/*/periscope ] 2>/dev/null || ./build.sh >/dev/null
periscope=$(ls "$PWD"/artifacts/*/periscope | head -1)
dotnet publish tests/bench/Hello/Hello.csproj -c Release -r "$(basename "$(dirname "$periscope")")" -o "$work/hello" -nologo >/dev/null
gcc -O2 -o "$work/spawnbench" tests/bench/spawnbench.c

# field NAME LINE: a number from a spawnbench result line.
field() { sed -E "s/.*$1=([0-9]+).*/\1/" <<<"$2"; }
