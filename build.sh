#!/usr/bin/env bash
# Periscope Native build.
#   ./build.sh          restore, build, and publish the AOT binary for this machine into artifacts/<rid>/
#   ./build.sh test     the above, then every test; ends with "N passed, N failed, N skipped"
#   ./build.sh demo     the build, then recorded OpenCode sessions through the hook, flush, stats and the report (local mode)
#   ./build.sh release [RID ...]
#                       publish each RID (default: this machine's) and package it into artifacts/release/:
#                       periscope-<version>-<rid>.tar.gz (.zip for Windows) with LICENSE and README.md, a
#                       .sha256 beside each, SHA256SUMS; then the Homebrew formula, winget manifests and npm
#                       packages rendered from them (packaging/render.mjs; all seven platforms, or --partial)
# Fails on any compiler, analyzer, AOT or trim warning.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

host_rid() {
  local os arch
  case "$(uname -s)" in
    Linux) os=linux; if ldd --version 2>&1 | grep -qi musl; then os=linux-musl; fi ;;
    Darwin) os=osx ;;
    *) echo "build.sh: unsupported OS $(uname -s); use build.ps1 on Windows" >&2; exit 2 ;;
  esac
  case "$(uname -m)" in
    x86_64|amd64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) echo "build.sh: unsupported CPU $(uname -m)" >&2; exit 2 ;;
  esac
  echo "$os-$arch"
}

RID="${PERISCOPE_RID:-$(host_rid)}"
OUT="artifacts/$RID"
LOGS="artifacts/logs"

# What a command needs that is not there: the Debian package names for it. Installed when this runs as
# root on a machine with apt-get (a fresh Debian or Ubuntu, CI); otherwise the exact command is
# printed and the build stops, so nothing fails later for a reason that is not shown.
require() {
  local need=("$@")
  [ ${#need[@]} -gt 0 ] || return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing what is missing: ${need[*]}"
    if printf '%s\n' "${need[@]}" | grep -q ':arm64$' && ! dpkg --print-foreign-architectures | grep -qx arm64; then
      dpkg --add-architecture arm64
    fi
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    return
  fi
  echo "build.sh: missing here: ${need[*]} (Debian package names)" >&2
  if command -v apt-get >/dev/null 2>&1; then
    echo "  install them with: sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
  else
    echo "  install their equivalents with this system's package manager, then run this again" >&2
  fi
  exit 1
}

# The Native AOT link: a C toolchain and zlib (macOS has both with the Xcode command line tools).
build_needs() {
  [ "$(uname -s)" = Linux ] || return 0
  local need=()
  command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1 || need+=(clang)
  [ -e /usr/include/zlib.h ] || need+=(zlib1g-dev)
  command -v dotnet >/dev/null 2>&1 || { echo "build.sh: the .NET SDK is missing: install the version global.json names (https://dot.net)" >&2; exit 1; }
  require "${need[@]}"
}

# The shared libraries the dynamic linker knows (ldconfig lives in /sbin, which a bare PATH lacks).
shared_libraries() {
  { command -v ldconfig >/dev/null 2>&1 && ldconfig -p; } 2>/dev/null || /sbin/ldconfig -p 2>/dev/null
}

# What the tests run besides the binary; each line names the tests that need it.
test_needs() {
  [ "$(uname -s)" = Linux ] || return 0
  local need=() libraries
  libraries=$(shared_libraries || true) # once, and whole: grep -q on the pipe would cut ldconfig off (SIGPIPE, and pipefail)
  command -v git >/dev/null 2>&1 || need+=(git)                                 # git tests: real repositories
  command -v node >/dev/null 2>&1 || need+=(nodejs)                             # OpenID provider, plugin, packaging, OpenCode
  command -v npm >/dev/null 2>&1 || need+=(npm)
  command -v dbus-daemon >/dev/null 2>&1 || need+=(dbus)                        # keyring tests: a private D-Bus session...
  command -v gnome-keyring-daemon >/dev/null 2>&1 || need+=(gnome-keyring)      # ...with GNOME Keyring's Secret Service...
  command -v secret-tool >/dev/null 2>&1 || need+=(libsecret-tools)             # ...read back with secret-tool...
  command -v dbus-test-tool >/dev/null 2>&1 || need+=(dbus-tests)              # ...or a Secret Service that never answers
  grep -q 'libsecret-1\.so\.0' <<<"$libraries" || need+=(libsecret-1-0) # the library periscope loads for it
  command -v ruby >/dev/null 2>&1 || need+=(ruby)                               # packaging: the Homebrew formula, ruby -c
  command -v zip >/dev/null 2>&1 || need+=(zip)                                 # packaging: the Windows archives
  command -v unzip >/dev/null 2>&1 || need+=(unzip)
  command -v setpriv >/dev/null 2>&1 || need+=(util-linux)                      # hostile-surroundings tests: read-only as another user
  command -v chromium >/dev/null 2>&1 || need+=(chromium)                         # report tests: the page in a real browser, headless
  grep -q 'libsqlite3\.so\.0' <<<"$libraries" || need+=(libsqlite3-0)   # import tests: the system SQLite periscope loads
  require "${need[@]}"
  # linux-arm64 is cross-built and packaged too where it can be: clang links for the target with
  # Debian's arm64 binutils and the target's zlib. Without them only this machine's RID is packaged.
  if [ "$RID" = linux-x64 ] && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    local cross=()
    command -v clang >/dev/null 2>&1 || cross+=(clang)
    command -v aarch64-linux-gnu-objcopy >/dev/null 2>&1 || cross+=(binutils-aarch64-linux-gnu gcc-aarch64-linux-gnu)
    [ -e /usr/lib/aarch64-linux-gnu/libz.a ] || cross+=(zlib1g-dev:arm64)
    require "${cross[@]}"
  fi
}

build() {
  build_needs
  mkdir -p "$LOGS"
  echo "==> restore and build (Release)"
  dotnet build Periscope.Native.sln -c Release -nologo -clp:NoSummary 2>&1 | tee "$LOGS/build.log" | grep -E "error|warning|->" || true
  check_log "$LOGS/build.log"
  publish "$RID"
}

# Publishes one RID into artifacts/<rid>/ and runs it when this machine can.
publish() {
  local rid="$1" out="artifacts/$1"
  echo "==> publish Native AOT for $rid into $out/"
  rm -rf "$out"
  local cross=()
  # linux-arm64 from an x64 machine: clang links for the target; Debian's binutils-aarch64-linux-gnu
  # strips it and zlib1g-dev:arm64 is the target's zlib (.ci/run installs both).
  if [ "$rid" = linux-arm64 ] && [ "$RID" != linux-arm64 ]; then cross=(-p:ObjCopyName=aarch64-linux-gnu-objcopy); fi
  dotnet publish src/Periscope/Periscope.csproj -c Release -r "$rid" -o "$out" -nologo "${cross[@]}" 2>&1 | tee "$LOGS/publish-$rid.log" | grep -E "error|warning|->" || true
  check_log "$LOGS/publish-$rid.log"
  # Run what was published: settings that are never exercised rot.
  if [ "$rid" = "$RID" ]; then "$out/periscope" --version; fi
}

# The other platforms this machine can build: linux-arm64 on linux-x64 with Debian's cross toolchain.
cross_rids() {
  if [ "$RID" = linux-x64 ] && command -v aarch64-linux-gnu-objcopy >/dev/null && [ -e /usr/lib/aarch64-linux-gnu/libz.a ]; then
    echo linux-arm64
  else
    echo "build.sh: no linux-arm64 cross toolchain here (./build.sh test installs it when run as root); packaging $RID only" >&2
  fi
}

version() { dotnet msbuild src/Periscope/Periscope.csproj -getProperty:Version -nologo; }

# artifacts/<rid>/ -> artifacts/release/periscope-<version>-<rid>.tar.gz (or .zip) and its .sha256.
package() {
  local rid="$1" version="$2" staging archive
  staging=$(mktemp -d)
  mkdir -p artifacts/release
  cp LICENSE README.md "$staging/"
  if [[ "$rid" == win-* ]]; then
    cp "artifacts/$rid/periscope.exe" "$staging/"
    archive="periscope-$version-$rid.zip"
    rm -f "artifacts/release/$archive"
    (cd "$staging" && zip -q -X "$OLDPWD/artifacts/release/$archive" periscope.exe LICENSE README.md)
  else
    cp "artifacts/$rid/periscope" "$staging/"
    archive="periscope-$version-$rid.tar.gz"
    tar -czf "artifacts/release/$archive" -C "$staging" --owner=0 --group=0 --numeric-owner periscope LICENSE README.md
  fi
  rm -rf "$staging"
  (cd artifacts/release && sha256sum "$archive" > "$archive.sha256")
  echo "==> artifacts/release/$archive"
}

# Packages the given RIDs (default: this machine's), then the sums and what is rendered from them.
release() {
  local partial=() rids=() rid version
  for rid in "$@"; do
    if [ "$rid" = "--partial" ]; then partial=(--partial); else rids+=("$rid"); fi
  done
  [ ${#rids[@]} -gt 0 ] || rids=("$RID")
  mkdir -p "$LOGS"
  version=$(version)
  for rid in "${rids[@]}"; do
    [ "$rid" = "$RID" ] || publish "$rid" # this machine's was published by build
    package "$rid" "$version"
  done
  (cd artifacts/release && cat ./*.sha256 > SHA256SUMS)
  echo "==> render the Homebrew formula, winget manifests and npm packages (packaging/render.mjs)"
  node packaging/render.mjs --release artifacts/release --version "$version" "${partial[@]}"
}

# Fails on a non-zero build, and on any warning (AOT and trim warnings included) in its log.
check_log() {
  if grep -qE "(: error |Build FAILED)" "$1"; then
    echo "build.sh: build failed, see $1" >&2; exit 1
  fi
  # Compiler, analyzer and MSBuild warnings read ": warning CA1234"; ILC's read "analysis warning IL3050".
  if grep -qE "\bwarning [A-Z]{2,}[0-9]{3,}" "$1"; then
    grep -E "\bwarning [A-Z]{2,}[0-9]{3,}" "$1" | sort -u >&2
    echo "build.sh: warnings are errors here (AOT and trim included), see $1" >&2; exit 1
  fi
}

run_tests() {
  local results="artifacts/test-results"
  rm -rf "$results"; mkdir -p "$results"
  # The sign-in tests run a real OpenID provider (the oidc-provider npm package) with node.
  echo "==> npm ci in tests/oidc-provider"
  (cd tests/oidc-provider && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  # The end-to-end tests run the real OpenCode CLI, both majors: opencode-ai at the exact version in
  # tests/e2e/package.json and @opencode/cli at the one in tests/e2e/opencode2/package.json (apart,
  # since both name their executable opencode); each pins its platform packages itself. No lock file there: npm
  # records only this machine's platform package in one, and npm ci then refuses it.
  echo "==> npm install in tests/e2e (opencode-ai) and tests/e2e/opencode2 (@opencode/cli)"
  (cd tests/e2e && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  (cd tests/e2e/opencode2 && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  echo "==> tests"
  local status=0 project name
  set +e
  for project in tests/*/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    PERISCOPE_TEST_BINARY="$PWD/$OUT/periscope" dotnet test "$project" -c Release --no-build -nologo \
      --logger "trx;LogFileName=$name.trx" --results-directory "$results" 2>&1 | grep -vE "^\s*$|^Results File:"
    [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  done
  # The OpenCode plugin (type-checked, then its node tests; one runs the binary) and the release
  # packaging (the archive, formula, winget manifests and npm packages made above).
  echo "==> src/opencode-plugin: npm ci, tsc; packaging: npm ci"
  (cd src/opencode-plugin && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npx --no-install tsc -p .) || status=1
  (cd packaging && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || status=1
  local suite
  for suite in src/opencode-plugin packaging; do
    echo "==> node tests in $suite"
    (cd "$suite" && PERISCOPE_TEST_BINARY="$PWD/../../$OUT/periscope" PERISCOPE_RID="$RID" node --test --test-reporter=tap test/) \
      >"$results/$(basename "$suite").tap" 2>&1 || status=1
    grep -E "^(not ok|# (pass|fail|skipped) )" "$results/$(basename "$suite").tap" || true
  done
  set -e
  local passed=0 failed=0 skipped=0 total=0 p f t e tap
  for tap in "$results"/*.tap; do
    p=$(sed -nE 's/^# pass ([0-9]+)$/\1/p' "$tap"); f=$(sed -nE 's/^# fail ([0-9]+)$/\1/p' "$tap"); e=$(sed -nE 's/^# skipped ([0-9]+)$/\1/p' "$tap")
    # A suite that never got to report counts as one failure.
    if [ -z "$p" ] && [ -z "$f" ]; then f=1; fi
    passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${e:-0})); total=$((total + ${p:-0} + ${f:-0} + ${e:-0}))
  done
  for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx")
    t=$(sed -E 's/.* total="([0-9]+)".*/\1/' <<<"$counters")
    e=$(sed -E 's/.* executed="([0-9]+)".*/\1/' <<<"$counters")
    p=$(sed -E 's/.* passed="([0-9]+)".*/\1/' <<<"$counters")
    f=$(sed -E 's/.* failed="([0-9]+)".*/\1/' <<<"$counters")
    passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + t - e)); total=$((total + t))
  done
  if [ "$total" -eq 0 ]; then
    echo "build.sh: no test ran" >&2; status=1
  fi
  if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  echo "$passed passed, $failed failed, $skipped skipped"
  return "$status"
}

demo() {
  local state="artifacts/demo-state"
  rm -rf "$state"
  export PERISCOPE_HOME="$state"
  echo "==> two recorded OpenCode sessions through 'periscope hook opencode' (local mode, state in $state/)"
  for f in tests/Periscope.Tests/Fixtures/opencode/*.hooks.jsonl; do "$OUT/periscope" replay "$f"; done
  echo "==> captured events (metadata only):"
  for f in "$state"/spool/*.json; do cat "$f"; echo; done
  echo "==> periscope flush (local mode: into the local ledger)"
  "$OUT/periscope" flush
  echo "==> periscope stats --by session"
  "$OUT/periscope" stats --by session
  # The recorded sessions ran on 2026-11-24: the week up to that day, whatever today is.
  echo "==> periscope report (the dashboard as one HTML page; open it in a browser)"
  "$OUT/periscope" report --since 2026-11-18 --until 2026-11-24 -o artifacts/demo-report.html
}

case "${1:-build}" in
  build) build ;;
  test) test_needs; build; rm -rf artifacts/release; release "$RID" $(cross_rids) --partial; run_tests ;;
  demo) build; demo ;;
  release) shift; build; release "$@" ;;
  *) echo "usage: ./build.sh [build|test|demo|release [RID ...] [--partial]]" >&2; exit 2 ;;
esac
