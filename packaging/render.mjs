#!/usr/bin/env node
// Renders what a release publishes besides the archives, from the archives themselves and their
// .sha256 files in the release directory (./build.sh release writes both):
//   <release>/homebrew/periscope.rb                       from packaging/homebrew/periscope.rb
//   <release>/winget/manifests/p/Periscope/Periscope/<v>/ from packaging/winget/*.yaml
//   <release>/npm/*.tgz                                   the plugin and one package per platform
// Usage: node packaging/render.mjs --release artifacts/release --version 0.1.0 [--partial]
// Without --partial every platform's archive must be there; with it (the tests on one machine),
// missing platforms render as "unavailable" and get no npm package.

import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Every platform a release is built for, and how npm names and selects it. */
export const PLATFORMS = {
  "linux-x64": { npm: "linux-x64", os: "linux", cpu: "x64", libc: "glibc" },
  "linux-arm64": { npm: "linux-arm64", os: "linux", cpu: "arm64", libc: "glibc" },
  "linux-musl-x64": { npm: "linux-x64-musl", os: "linux", cpu: "x64", libc: "musl" },
  "osx-x64": { npm: "darwin-x64", os: "darwin", cpu: "x64" },
  "osx-arm64": { npm: "darwin-arm64", os: "darwin", cpu: "arm64" },
  "win-x64": { npm: "windows-x64", os: "win32", cpu: "x64" },
  "win-arm64": { npm: "windows-arm64", os: "win32", cpu: "arm64" },
};

export const HOMEPAGE = "https://github.com/periscope-sh/periscope-native";

/** The archives in a release directory, by runtime identifier: { file, sha256 }. */
export function readRelease(dir, version) {
  const archives = {};
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".sha256"))) {
    const [sha256, file] = readFileSync(path.join(dir, name), "utf8").trim().split(/\s+\*?/);
    const match = new RegExp(`^periscope-${version.replace(/\./g, "\\.")}-(.+)\\.(tar\\.gz|zip)$`).exec(file);
    if (!match || !PLATFORMS[match[1]]) throw new Error(`${name}: not an archive of version ${version}: ${file}`);
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`${name}: not a SHA-256: ${sha256}`);
    archives[match[1]] = { file, sha256 };
  }
  return archives;
}

/** Fills {{version}}, {{homepage}}, {{date}}, {{url:RID}} and {{sha256:RID}}, and drops the "# template:" lines. */
export function fill(template, { version, archives, baseUrl, date, partial }) {
  return template.replace(/^# template:.*\n/gm, "").replace(/\{\{([a-z0-9]+)(?::([a-z0-9-]+))?\}\}/g, (whole, key, rid) => {
    if (key === "version") return version;
    if (key === "homepage") return HOMEPAGE;
    if (key === "date") return date;
    const archive = archives[rid];
    if (!archive) {
      if (partial && PLATFORMS[rid]) return "unavailable";
      throw new Error(`no archive for ${rid} (${whole})`);
    }
    return key === "url" ? `${baseUrl}/${archive.file}` : archive.sha256;
  });
}

function render({ release, version, partial }) {
  const archives = readRelease(release, version);
  const missing = Object.keys(PLATFORMS).filter((rid) => !archives[rid]);
  if (missing.length > 0 && !partial) throw new Error(`missing archives for ${missing.join(", ")}`);
  const context = {
    version,
    archives,
    partial,
    baseUrl: process.env.PERISCOPE_RELEASE_URL ?? `${HOMEPAGE}/releases/download/v${version}`,
    date: new Date().toISOString().slice(0, 10),
  };

  const brew = path.join(release, "homebrew");
  mkdirSync(brew, { recursive: true });
  writeFileSync(path.join(brew, "periscope.rb"), fill(readFileSync(path.join(root, "packaging/homebrew/periscope.rb"), "utf8"), context));

  const winget = path.join(release, "winget/manifests/p/Periscope/Periscope", version);
  mkdirSync(winget, { recursive: true });
  for (const name of readdirSync(path.join(root, "packaging/winget")).filter((f) => f.endsWith(".yaml"))) {
    writeFileSync(path.join(winget, name), fill(readFileSync(path.join(root, "packaging/winget", name), "utf8"), context));
  }

  const npm = path.resolve(release, "npm");
  rmSync(npm, { recursive: true, force: true });
  mkdirSync(npm, { recursive: true });
  const optional = {};
  for (const [rid, archive] of Object.entries(archives)) {
    const name = platformPackage(npm, rid, archive, path.join(release, archive.file), version);
    optional[name] = version;
  }
  pluginPackage(npm, version, optional);
  for (const dir of readdirSync(npm).filter((d) => !d.endsWith(".tgz"))) {
    execFileSync("npm", ["pack", "--silent", "--pack-destination", npm], { cwd: path.join(npm, dir), stdio: ["ignore", "ignore", "inherit"] });
  }
}

// One package per platform holding bin/periscope(.exe), selected by npm through os, cpu and libc.
function platformPackage(npm, rid, archive, archivePath, version) {
  const platform = PLATFORMS[rid];
  const name = `@periscope/opencode-analytics-${platform.npm}`;
  const dir = path.join(npm, `opencode-analytics-${platform.npm}`);
  const bin = path.join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  const executable = rid.startsWith("win") ? "periscope.exe" : "periscope";
  if (archive.file.endsWith(".zip")) execFileSync("unzip", ["-q", "-o", archivePath, executable, "-d", bin]);
  else execFileSync("tar", ["-xzf", archivePath, "-C", bin, executable]);
  chmodSync(path.join(bin, executable), 0o755);
  cpSync(path.join(root, "LICENSE"), path.join(dir, "LICENSE"));
  writeFileSync(path.join(dir, "README.md"), `# ${name}\n\nThe periscope executable for ${rid}, installed by npm with [@periscope/opencode-analytics](https://www.npmjs.com/package/@periscope/opencode-analytics) on matching machines only.\n`);
  const manifest = {
    name,
    version,
    description: `The periscope executable for ${rid} (used by @periscope/opencode-analytics).`,
    license: "MIT",
    repository: { type: "git", url: `git+${HOMEPAGE}.git` },
    os: [platform.os],
    cpu: [platform.cpu],
    ...(platform.libc ? { libc: [platform.libc] } : {}),
    files: ["bin/", "README.md", "LICENSE"],
    preferUnplugged: true,
  };
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
  return name;
}

// The plugin as published: the source package at the release's version, with the platform packages
// as optional dependencies and nothing of its development set-up.
function pluginPackage(npm, version, optionalDependencies) {
  const source = path.join(root, "src/opencode-plugin");
  const dir = path.join(npm, "opencode-analytics");
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(source, "index.js"), path.join(dir, "index.js"));
  cpSync(path.join(source, "lib"), path.join(dir, "lib"), { recursive: true });
  cpSync(path.join(source, "cli"), path.join(dir, "cli"), { recursive: true });
  cpSync(path.join(source, "README.md"), path.join(dir, "README.md"));
  cpSync(path.join(root, "LICENSE"), path.join(dir, "LICENSE"));
  const { devDependencies, scripts, ...manifest } = JSON.parse(readFileSync(path.join(source, "package.json"), "utf8"));
  manifest.version = version;
  manifest.files = [...manifest.files, "README.md", "LICENSE"];
  manifest.optionalDependencies = optionalDependencies;
  writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest, null, 2) + "\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const value = (flag) => args[args.indexOf(flag) + 1];
  if (!args.includes("--release") || !args.includes("--version")) {
    console.error("usage: node packaging/render.mjs --release DIR --version X.Y.Z [--partial]");
    process.exit(2);
  }
  if (!existsSync(value("--release"))) {
    console.error(`render: ${value("--release")} does not exist; run ./build.sh release first`);
    process.exit(2);
  }
  try {
    render({ release: value("--release"), version: value("--version"), partial: args.includes("--partial") });
  } catch (error) {
    console.error(`render: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
}
