// Starts `periscope hook opencode` with one envelope on stdin and lets it go: detached, no
// output pipes, never awaited. spawn() itself is synchronous, so the process exists before the
// hook returns, even when OpenCode exits right after.

import { spawn } from "node:child_process";

/**
 * @param {string} binary
 * @param {object} envelope
 * @param {(error: Error) => void} onError called at most once per spawn, never throws into OpenCode
 */
export function startHook(binary, envelope, onError) {
  const child = spawn(binary, ["hook", "opencode"], {
    detached: true,
    stdio: ["pipe", "ignore", "ignore"],
    windowsHide: true,
  });
  child.once("error", onError);
  child.stdin?.once("error", () => {}); // the hook exited early (it reads at most 1 MiB): nothing to do
  child.stdin?.end(JSON.stringify(envelope));
  child.unref();
}
