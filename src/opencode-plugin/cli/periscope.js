#!/usr/bin/env node
// `periscope` on PATH after `npm install -g @periscope/opencode-analytics`: runs the executable of
// this machine's platform package (or PERISCOPE_BIN) with the same arguments, stdio and exit code.
// The plugin itself starts the executable directly; this is for the commands a person types.

import { spawnSync } from "node:child_process";
import { findBinary } from "../lib/binary.js";

// Not PATH: this launcher is what PATH finds.
const found = findBinary({ searchPath: false });
if ("looked" in found) {
  console.error(`periscope: the executable for ${process.platform}-${process.arch} is not installed (looked at ${found.looked.join("; ")}).`);
  console.error("Reinstall @periscope/opencode-analytics without --no-optional / --omit=optional, or set PERISCOPE_BIN.");
  process.exit(1);
}

const result = spawnSync(found.path, process.argv.slice(2), { stdio: "inherit" });
if (result.error) {
  console.error(`periscope: cannot start ${found.path}: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
