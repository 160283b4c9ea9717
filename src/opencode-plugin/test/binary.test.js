import assert from "node:assert/strict";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { findBinary, platformPackages } from "../lib/binary.js";

/** A project with the platform package installed the way npm lays it out. */
function projectWith(packageName) {
  const root = mkdtempSync(path.join(tmpdir(), "periscope-shim-"));
  const dir = path.join(root, "node_modules", ...packageName.split("/"));
  mkdirSync(path.join(dir, "bin"), { recursive: true });
  writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: packageName, version: "0.1.0" }));
  writeFileSync(path.join(dir, "bin", "periscope"), "#!/bin/sh\n");
  chmodSync(path.join(dir, "bin", "periscope"), 0o755);
  return { root, binary: path.join(dir, "bin", "periscope"), resolve: createRequire(path.join(root, "index.js")).resolve };
}

test("platform package names follow the OS and CPU, musl first on Alpine", () => {
  assert.deepEqual(platformPackages("linux", "x64", false), ["@periscope/opencode-analytics-linux-x64", "@periscope/opencode-analytics-linux-x64-musl"]);
  assert.deepEqual(platformPackages("linux", "arm64", true), ["@periscope/opencode-analytics-linux-arm64-musl", "@periscope/opencode-analytics-linux-arm64"]);
  assert.deepEqual(platformPackages("darwin", "arm64", false), ["@periscope/opencode-analytics-darwin-arm64"]);
  assert.deepEqual(platformPackages("win32", "x64", false), ["@periscope/opencode-analytics-windows-x64"]);
});

test("the installed platform package is found", () => {
  const project = projectWith("@periscope/opencode-analytics-linux-x64");
  const found = findBinary({ env: { PATH: "" }, platform: "linux", arch: "x64", musl: false, resolve: project.resolve });
  assert.deepEqual(found, { path: project.binary, source: "@periscope/opencode-analytics-linux-x64" });
});

test("PERISCOPE_BIN wins over the platform package, and a missing one falls through", () => {
  const project = projectWith("@periscope/opencode-analytics-linux-x64");
  const other = projectWith("@periscope/opencode-analytics-linux-arm64");
  const options = { platform: "linux", arch: "x64", musl: false, resolve: project.resolve };
  assert.equal(findBinary({ ...options, env: { PERISCOPE_BIN: other.binary } }).path, other.binary);
  assert.equal(findBinary({ ...options, env: { PERISCOPE_BIN: "/nowhere/periscope" } }).path, project.binary);
});

test("PATH is the last resort, and a miss says where it looked", () => {
  const onPath = projectWith("@periscope/opencode-analytics-linux-x64");
  const resolve = () => { throw new Error("not installed"); };
  const options = { platform: "linux", arch: "x64", musl: false, resolve };
  assert.deepEqual(findBinary({ ...options, env: { PATH: `/nowhere:${path.dirname(onPath.binary)}` } }), { path: onPath.binary, source: "PATH" });
  const missing = findBinary({ ...options, env: { PATH: "/nowhere", PERISCOPE_BIN: "/gone" } });
  assert.equal(missing.path, null);
  assert.deepEqual(missing.looked, [
    "PERISCOPE_BIN=/gone (no such file)",
    "@periscope/opencode-analytics-linux-x64 (not installed)",
    "@periscope/opencode-analytics-linux-x64-musl (not installed)",
    "PATH",
  ]);
});

test("without the PATH search (the npm launcher, which PATH finds), a miss does not look there", () => {
  const onPath = projectWith("@periscope/opencode-analytics-linux-x64");
  const resolve = () => { throw new Error("not installed"); };
  const found = findBinary({ platform: "linux", arch: "x64", musl: false, resolve, env: { PATH: path.dirname(onPath.binary) }, searchPath: false });
  assert.equal(found.path, null);
  assert.ok(!found.looked.includes("PATH"));
});
