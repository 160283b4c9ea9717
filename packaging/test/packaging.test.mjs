// The release as a user meets it, from what ./build.sh test packaged for this machine
// (artifacts/release, rendered with --partial): the archive runs with no runtime from an empty
// directory, the Homebrew formula and winget manifests are well-formed and point at the real
// archive, and the npm packages install and the plugin finds and runs the binary.

import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { PLATFORMS } from "../render.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const release = path.join(root, "artifacts/release");
const version = execFileSync("dotnet", ["msbuild", "src/Periscope/Periscope.csproj", "-getProperty:Version", "-nologo"], { cwd: root, encoding: "utf8" }).trim();
const rid = process.env.PERISCOPE_RID ?? hostRid();
const archive = path.join(release, `periscope-${version}-${rid}.tar.gz`);
const payload = path.join(root, "tests/bench/payloads/completed-message.json");

function hostRid() {
  const arch = process.arch === "arm64" ? "arm64" : "x64";
  return process.platform === "darwin" ? `osx-${arch}` : `linux-${arch}`;
}

const temp = (name) => mkdtempSync(path.join(tmpdir(), `periscope-${name}-`));

test("the archive holds the executable, LICENSE and README, and its sums are right", () => {
  assert.ok(existsSync(archive), `${archive} is missing: run ./build.sh test or ./build.sh release`);
  const listing = execFileSync("tar", ["-tzf", archive], { encoding: "utf8" }).trim().split("\n").sort();
  assert.deepEqual(listing, ["LICENSE", "README.md", "periscope"]);
  const sha256 = createHash("sha256").update(readFileSync(archive)).digest("hex");
  assert.equal(readFileSync(`${archive}.sha256`, "utf8"), `${sha256}  ${path.basename(archive)}\n`);
  assert.ok(readFileSync(path.join(release, "SHA256SUMS"), "utf8").includes(`${sha256}  ${path.basename(archive)}`));
});

test("every Unix archive packed here holds an executable for its own CPU", () => {
  const machines = { x64: 0x3e, arm64: 0xb7 };
  const archives = readdirSync(release).filter((f) => f.endsWith(".tar.gz"));
  assert.ok(archives.length >= 1);
  for (const file of archives) {
    const r = file.slice(`periscope-${version}-`.length, -".tar.gz".length);
    const dir = temp("elf");
    execFileSync("tar", ["-xzf", path.join(release, file), "-C", dir, "periscope"]);
    const header = readFileSync(path.join(dir, "periscope")).subarray(0, 20);
    assert.equal(header.subarray(0, 4).toString("latin1"), "\x7fELF", file);
    assert.equal(header.readUInt16LE(18), machines[PLATFORMS[r].cpu], `${file}: ELF machine`);
  }
});

test("unpacked into an empty directory, with no .NET on PATH and an empty HOME, hook, status and schema run", () => {
  const dir = temp("unpacked");
  const home = temp("home");
  execFileSync("tar", ["-xzf", archive, "-C", dir]);
  const env = { PATH: "/nonexistent", HOME: home };
  const run = (args, input) => spawnSync(path.join(dir, "periscope"), args, { cwd: dir, env, input, encoding: "utf8" });
  assert.equal(spawnSync("dotnet", ["--version"], { env }).error?.code, "ENOENT", "dotnet must not be reachable");

  const versionRun = run(["--version"]);
  assert.equal(versionRun.status, 0, versionRun.stderr);
  assert.match(versionRun.stdout, new RegExp(`^periscope ${version.replace(/\./g, "\\.")} \\(commit [0-9a-f]{40}, ${rid}\\)\\n$`));

  const hook = run(["hook", "opencode"], readFileSync(payload));
  assert.equal(hook.status, 0);
  const spool = path.join(home, ".local/state/periscope/spool");
  assert.equal(readdirSync(spool).filter((f) => f.endsWith(".json")).length, 1, "the hook spooled the message");

  const status = run(["status", "--json"]);
  assert.equal(status.status, 0, status.stderr);
  assert.equal(JSON.parse(status.stdout).mode, "local");

  const schema = run(["schema"]);
  assert.equal(schema.status, 0);
  assert.equal(JSON.parse(schema.stdout).$schema, "https://json-schema.org/draft/2020-12/schema");
});

test("the Homebrew formula is valid Ruby, names this archive and its hash, and tests --version and schema", () => {
  const formula = path.join(release, "homebrew/periscope.rb");
  const check = spawnSync("ruby", ["-c", formula], { encoding: "utf8" });
  assert.equal(check.error, undefined, "ruby is needed to check the formula (.ci/run installs it)");
  assert.equal(check.status, 0, check.stderr);
  const text = readFileSync(formula, "utf8");
  const inFormula = ["osx-arm64", "osx-x64", "linux-arm64", "linux-x64"].filter((r) => existsSync(path.join(release, `periscope-${version}-${r}.tar.gz`)));
  assert.ok(inFormula.includes(rid));
  for (const r of inFormula) {
    const sha256 = readFileSync(path.join(release, `periscope-${version}-${r}.tar.gz.sha256`), "utf8").split(" ")[0];
    assert.match(text, new RegExp(`url "https://[^"]+/v${version}/periscope-${version}-${r}\\.tar\\.gz"\\n\\s+sha256 "${sha256}"`), r);
  }
  assert.match(text, /^ {2}version "\d+\.\d+\.\d+"$/m);
  assert.match(text, /shell_output\("#\{bin\}\/periscope --version"\)/);
  assert.match(text, /shell_output\("#\{bin\}\/periscope schema"\)/);
  assert.doesNotMatch(text, /\{\{/, "every field is filled");
  const template = readFileSync(path.join(root, "packaging/homebrew/periscope.rb"), "utf8");
  for (const r of ["osx-arm64", "osx-x64", "linux-arm64", "linux-x64"]) assert.ok(template.includes(`{{sha256:${r}}}`), r);
});

test("the winget manifests are a multi-file 1.6 set for a portable zip, and pass the published schemas when given", async () => {
  const dir = path.join(release, "winget/manifests/p/Periscope/Periscope", version);
  const manifests = Object.fromEntries(readdirSync(dir).map((f) => [f, YAML.parse(readFileSync(path.join(dir, f), "utf8"))]));
  assert.deepEqual(Object.keys(manifests).sort(), ["Periscope.Periscope.installer.yaml", "Periscope.Periscope.locale.en-US.yaml", "Periscope.Periscope.yaml"]);
  const types = Object.values(manifests).map((m) => m.ManifestType).sort();
  assert.deepEqual(types, ["defaultLocale", "installer", "version"]);
  for (const m of Object.values(manifests)) {
    assert.equal(m.PackageIdentifier, "Periscope.Periscope");
    assert.equal(m.PackageVersion, version);
    assert.equal(m.ManifestVersion, "1.6.0");
  }
  const installer = manifests["Periscope.Periscope.installer.yaml"];
  assert.equal(installer.InstallerType, "zip");
  assert.equal(installer.NestedInstallerType, "portable");
  assert.deepEqual(installer.NestedInstallerFiles, [{ RelativeFilePath: "periscope.exe", PortableCommandAlias: "periscope" }]);
  assert.deepEqual(installer.Installers.map((i) => i.Architecture), ["x64", "arm64"]);
  assert.match(installer.ReleaseDate, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(manifests["Periscope.Periscope.yaml"].DefaultLocale, manifests["Periscope.Periscope.locale.en-US.yaml"].PackageLocale);

  // The published JSON schemas (https://aka.ms/winget-manifest.<type>.1.6.0.schema.json); the
  // release workflow downloads them and sets WINGET_SCHEMAS. Windows archives are built there,
  // so here their hashes are placeholders and only the other fields can be checked.
  const schemas = process.env.WINGET_SCHEMAS;
  if (!schemas) return;
  const { default: Ajv } = await import("ajv");
  const { default: Ajv2020 } = await import("ajv/dist/2020.js");
  const { default: addFormats } = await import("ajv-formats");
  const schemaFor = { version: "version", installer: "installer", defaultLocale: "defaultLocale" };
  for (const [file, manifest] of Object.entries(manifests)) {
    const schema = JSON.parse(readFileSync(path.join(schemas, `manifest.${schemaFor[manifest.ManifestType]}.1.6.0.json`), "utf8"));
    const ajv = schema.$schema?.includes("2020-12") ? new Ajv2020({ strict: false }) : new Ajv({ strict: false });
    addFormats(ajv);
    const complete = Object.keys(PLATFORMS).every((r) => existsSync(path.join(release, `periscope-${version}-${r}.${r.startsWith("win") ? "zip" : "tar.gz"}`)));
    const checked = complete ? manifest : structuredClone(manifest);
    if (!complete && checked.Installers) for (const i of checked.Installers) if (i.InstallerSha256 === "unavailable") i.InstallerSha256 = "0".repeat(64);
    assert.ok(ajv.validate(schema, checked), `${file}: ${ajv.errorsText()}`);
  }
});

test("the npm packages install into a project, and the plugin finds and runs this platform's binary", async () => {
  const npm = path.join(release, "npm");
  const platform = Object.entries(PLATFORMS).find(([r]) => r === rid)[1].npm;
  const project = temp("npm-project");
  writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "a-project", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error",
    path.join(npm, `periscope-opencode-analytics-${version}.tgz`),
    path.join(npm, `periscope-opencode-analytics-${platform}-${version}.tgz`)], { cwd: project, stdio: ["ignore", "ignore", "inherit"] });
  const manifest = JSON.parse(readFileSync(path.join(project, "node_modules/@periscope/opencode-analytics/package.json"), "utf8"));
  assert.equal(manifest.version, version);
  assert.ok(manifest.optionalDependencies[`@periscope/opencode-analytics-${platform}`]);
  assert.equal(manifest.devDependencies, undefined);

  // `periscope` on PATH for a person: the npm launcher runs the platform package's executable.
  const launcher = spawnSync(path.join(project, "node_modules/.bin/periscope"), ["--version"], { env: { PATH: `/usr/bin:/bin:${path.dirname(process.execPath)}` }, encoding: "utf8" });
  assert.equal(launcher.status, 0, launcher.stderr);
  assert.match(launcher.stdout, new RegExp(`^periscope ${version.replace(/\./g, "\\.")} \\(commit [0-9a-f]{40}, ${rid}\\)`));
  const usage = spawnSync(path.join(project, "node_modules/.bin/periscope"), ["no-such-command"], { env: { PATH: `/usr/bin:/bin:${path.dirname(process.execPath)}` }, encoding: "utf8" });
  assert.equal(usage.status, 2, "the executable's exit code comes through");

  // The plugin as OpenCode 1.18 loads it (its default export's server), with no PERISCOPE_BIN and
  // no periscope on PATH.
  const state = temp("npm-state");
  writeFileSync(path.join(project, "run.mjs"), `
    import plugin from "@periscope/opencode-analytics";
    const warnings = [];
    const hooks = await plugin.server({ client: { app: { log: async ({ body }) => warnings.push(body.message) } }, directory: process.cwd(), worktree: process.cwd() });
    const payload = JSON.parse(process.argv[2]);
    await hooks.event({ event: payload.event });
    setTimeout(() => console.log(JSON.stringify(warnings)), 300);
  `);
  const run = spawnSync(process.execPath, ["run.mjs", readFileSync(payload, "utf8")], {
    cwd: project,
    env: { PATH: "/usr/bin:/bin", HOME: project, PERISCOPE_HOME: state, PERISCOPE_WORKER: "off" },
    encoding: "utf8",
  });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), [], "the plugin found the binary");
  const spool = path.join(state, "spool");
  const deadline = Date.now() + 10_000;
  while (!(existsSync(spool) && readdirSync(spool).some((f) => f.endsWith(".json"))) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.ok(readdirSync(spool).some((f) => f.endsWith(".json")), "the platform package's binary spooled the message");
});
