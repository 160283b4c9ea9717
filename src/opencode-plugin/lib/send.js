// Sends envelopes to the binary: looks it up once, at the first envelope worth sending, and
// starts it for each one. Never throws; what goes wrong is told once, through `warn`.

import { findBinary } from "./binary.js";
import { startHook } from "./spawn.js";

/**
 * @param {(message: string) => void} warn told at most once per plugin instance; must not throw
 * @returns {(envelope: object | null) => void}
 */
export function createSender(warn) {
  /** @type {string | null | undefined} undefined until the first lookup */
  let binary;
  let warned = false;
  const warnOnce = (/** @type {string} */ message) => {
    if (warned) return;
    warned = true;
    try {
      warn(message);
    } catch {
      // nowhere left to report to
    }
  };

  return (envelope) => {
    if (!envelope) return;
    try {
      if (binary === undefined) {
        const found = findBinary();
        binary = found.path;
        if ("looked" in found) {
          warnOnce(`periscope: executable not found, analytics are off. Looked in: ${found.looked.join("; ")}. Install it, or set PERISCOPE_BIN.`);
        }
      }
      if (binary) {
        const started = binary;
        startHook(started, envelope, (error) => warnOnce(`periscope: cannot start ${started}: ${error.message}`));
      }
    } catch (error) {
      warnOnce(`periscope: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
