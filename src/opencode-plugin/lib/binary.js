// Where the periscope executable is: PERISCOPE_BIN when set, else the platform package npm
// installed beside this one (optionalDependencies, one per OS and CPU, the way opencode-ai ships
// its own binary), else PATH.

import { existsSync, readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export const PACKAGE = "@periscope/opencode-analytics";

/**
 * The platform packages to try for this machine, best first.
 * @param {string} platform process.platform
 * @param {string} arch process.arch
 * @param {boolean} musl whether the C library is musl (Alpine)
 */
export function platformPackages(platform, arch, musl) {
  const os = platform === "win32" ? "windows" : platform;
  const base = `${PACKAGE}-${os}-${arch}`;
  if (os !== "linux") return [base];
  return musl ? [`${base}-musl`, base] : [base, `${base}-musl`];
}

/**
 * Finds the executable, or explains where it looked.
 * @param {{ env?: NodeJS.ProcessEnv, platform?: string, arch?: string, musl?: boolean,
 *   resolve?: (specifier: string) => string, exists?: (file: string) => boolean, searchPath?: boolean }} [options]
 * @returns {{ path: string, source: string } | { path: null, looked: string[] }}
 */
export function findBinary(options = {}) {
  const {
    env = process.env,
    platform = process.platform,
    arch = process.arch,
    musl = platform === "linux" && isMusl(),
    resolve = createRequire(import.meta.url).resolve,
    exists = existsSync,
    searchPath = true,
  } = options;
  const file = platform === "win32" ? "periscope.exe" : "periscope";
  const looked = [];

  if (env.PERISCOPE_BIN) {
    if (exists(env.PERISCOPE_BIN)) return { path: env.PERISCOPE_BIN, source: "PERISCOPE_BIN" };
    looked.push(`PERISCOPE_BIN=${env.PERISCOPE_BIN} (no such file)`);
  }

  for (const name of platformPackages(platform, arch, musl)) {
    let manifest;
    try {
      manifest = resolve(`${name}/package.json`);
    } catch {
      looked.push(`${name} (not installed)`);
      continue;
    }
    const candidate = path.join(path.dirname(manifest), "bin", file);
    if (exists(candidate)) return { path: candidate, source: name };
    looked.push(`${candidate} (missing)`);
  }

  if (!searchPath) return { path: null, looked };
  const separator = platform === "win32" ? ";" : ":";
  for (const dir of (env.PATH ?? env.Path ?? "").split(separator)) {
    if (!dir) continue;
    const candidate = path.join(dir, file);
    if (exists(candidate)) return { path: candidate, source: "PATH" };
  }
  looked.push("PATH");
  return { path: null, looked };
}

/** musl's dynamic loader is /lib/ld-musl-<arch>.so.1; glibc systems have none. */
function isMusl() {
  try {
    return readdirSync("/lib").some((name) => name.startsWith("ld-musl-"));
  } catch {
    return false;
  }
}
