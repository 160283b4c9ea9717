# Periscope Native build on Windows (build.sh does the same on Linux and macOS).
#   ./build.ps1          restore, build, and publish the AOT binary for this machine into artifacts/<rid>/
#   ./build.ps1 test     the above, then every test; ends with "N passed, N failed, N skipped"
#   ./build.ps1 demo     the build, then recorded OpenCode sessions through the hook, flush and stats (local mode)
#   ./build.ps1 release  the build, then artifacts/release/periscope-<version>-<rid>.zip (periscope.exe, LICENSE,
#                        README.md) and its .sha256; the release workflow renders the rest on Linux (build.sh)
# Fails on any compiler, analyzer, AOT or trim warning.
param([ValidateSet('build', 'test', 'demo', 'release')][string]$Target = 'build')
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

$arch = if ([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'Arm64') { 'arm64' } else { 'x64' }
$rid = if ($env:PERISCOPE_RID) { $env:PERISCOPE_RID } elseif ($IsLinux) { "linux-$arch" } elseif ($IsMacOS) { "osx-$arch" } else { "win-$arch" }
$out = "artifacts/$rid"
$logs = 'artifacts/logs'
$exe = if ($rid.StartsWith('win')) { "$out/periscope.exe" } else { "$out/periscope" }

function Test-Log([string]$Log) {
    $text = Get-Content $Log
    if ($LASTEXITCODE -ne 0 -or ($text | Select-String -Pattern ': error |Build FAILED')) { throw "build failed, see $Log" }
    $warnings = $text | Select-String -Pattern '\bwarning [A-Z]{2,}[0-9]{3,}'
    if ($warnings) { $warnings | Sort-Object -Unique | Write-Host; throw "warnings are errors here (AOT and trim included), see $Log" }
}

function Invoke-Build {
    New-Item -ItemType Directory -Force $logs | Out-Null
    Write-Host '==> restore and build (Release)'
    dotnet build Periscope.Native.sln -c Release -nologo *> "$logs/build.log"; Test-Log "$logs/build.log"
    Write-Host "==> publish Native AOT for $rid into $out/"
    dotnet publish src/Periscope/Periscope.csproj -c Release -r $rid -o $out -nologo *> "$logs/publish.log"; Test-Log "$logs/publish.log"
    & $exe --version
}

function Invoke-Tests {
    $results = 'artifacts/test-results'
    Remove-Item -Recurse -Force $results -ErrorAction SilentlyContinue
    $env:PERISCOPE_TEST_BINARY = (Resolve-Path $exe).Path
    # The sign-in tests run a real OpenID provider (the oidc-provider npm package) with node; the
    # end-to-end tests the real OpenCode CLI (opencode-ai, exact version in tests/e2e/package.json).
    Push-Location tests/oidc-provider; npm ci --no-audit --no-fund --loglevel=error | Out-Null; Pop-Location
    Push-Location tests/e2e; npm install --no-audit --no-fund --loglevel=error | Out-Null; Pop-Location
    Push-Location tests/e2e/opencode2; npm install --no-audit --no-fund --loglevel=error | Out-Null; Pop-Location
    $status = 0
    foreach ($project in Get-ChildItem tests/*/*.Tests.csproj) {
        dotnet test $project.FullName -c Release --no-build -nologo --logger "trx;LogFileName=$($project.BaseName).trx" --results-directory $results
        if ($LASTEXITCODE -ne 0) { $status = 1 }
    }
    # The OpenCode plugin: type-checked, then its node tests. (The packaging tests unpack .tar.gz
    # archives and run ruby; build.sh runs them on Linux and macOS.)
    Push-Location src/opencode-plugin
    npm ci --no-audit --no-fund --loglevel=error | Out-Null
    npx --no-install tsc -p .
    if ($LASTEXITCODE -ne 0) { $status = 1 }
    $tap = node --test --test-reporter=tap test/ 2>&1
    if ($LASTEXITCODE -ne 0) { $status = 1 }
    Pop-Location
    $passed = 0; $failed = 0; $skipped = 0; $total = 0
    foreach ($line in $tap) {
        if ("$line" -match '^# pass (\d+)$') { $passed += [int]$Matches[1]; $total += [int]$Matches[1] }
        if ("$line" -match '^# fail (\d+)$') { $failed += [int]$Matches[1]; $total += [int]$Matches[1] }
        if ("$line" -match '^# skipped (\d+)$') { $skipped += [int]$Matches[1]; $total += [int]$Matches[1] }
    }
    foreach ($trx in Get-ChildItem "$results/*.trx") {
        $c = ([xml](Get-Content $trx)).TestRun.ResultSummary.Counters
        $passed += [int]$c.passed; $failed += [int]$c.failed; $skipped += [int]$c.total - [int]$c.executed; $total += [int]$c.total
    }
    if ($total -eq 0) { $status = 1 }
    if ($status -ne 0 -and $failed -eq 0) { $failed = 1 }
    Write-Host "$passed passed, $failed failed, $skipped skipped"
    exit $status
}

function Invoke-Release {
    $version = (dotnet msbuild src/Periscope/Periscope.csproj -getProperty:Version -nologo).Trim()
    $release = 'artifacts/release'
    New-Item -ItemType Directory -Force $release | Out-Null
    $staging = Join-Path ([System.IO.Path]::GetTempPath()) "periscope-$rid"
    Remove-Item -Recurse -Force $staging -ErrorAction SilentlyContinue
    New-Item -ItemType Directory $staging | Out-Null
    Copy-Item $exe, LICENSE, README.md $staging
    $archive = "$release/periscope-$version-$rid.zip"
    Remove-Item -Force $archive -ErrorAction SilentlyContinue
    Compress-Archive -Path "$staging/*" -DestinationPath $archive
    $hash = (Get-FileHash -Algorithm SHA256 $archive).Hash.ToLowerInvariant()
    # The same line sha256sum writes, LF-terminated, so the sums of every platform concatenate.
    [System.IO.File]::WriteAllText("$archive.sha256", "$hash  $(Split-Path $archive -Leaf)`n")
    Write-Host "==> $archive"
}

function Invoke-Demo {
    $state = 'artifacts/demo-state'
    Remove-Item -Recurse -Force $state -ErrorAction SilentlyContinue
    $env:PERISCOPE_HOME = $state
    Get-ChildItem tests/Periscope.Tests/Fixtures/opencode/*.hooks.jsonl | ForEach-Object { & $exe replay $_.FullName }
    Get-ChildItem "$state/spool/*.json" | ForEach-Object { Get-Content $_ }
    & $exe flush
    & $exe stats --by session
}

Invoke-Build
switch ($Target) {
    'test' { Invoke-Tests }
    'demo' { Invoke-Demo }
    'release' { Invoke-Release }
}
