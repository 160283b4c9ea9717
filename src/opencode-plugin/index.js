// @periscope/opencode-analytics: the OpenCode plugin of Periscope.
//
// For each hook call worth keeping it starts `periscope hook opencode` with a metadata-only
// envelope and returns at once; the binary does the rest (git context, spool, delivery). It
// never awaits the binary and never throws into OpenCode. OpenCode calls every export of this
// module as a plugin, so this module exports the plugin and nothing else.

import { findBinary } from "./lib/binary.js";
import { createForwarder } from "./lib/forward.js";
import { startHook } from "./lib/spawn.js";

/** @type {import("@opencode-ai/plugin").Plugin} */
export const PeriscopeAnalytics = async ({ client, directory, worktree }) => {
  const forwarder = createForwarder({ directory, worktree });
  /** @type {string | null | undefined} undefined until the first lookup */
  let binary;
  let warned = false;

  /** Tells OpenCode's log once; logging must not fail or delay anything either. */
  const warnOnce = (/** @type {string} */ message) => {
    if (warned) return;
    warned = true;
    try {
      client?.app?.log({ body: { service: "periscope", level: "warn", message } })?.catch?.(() => {});
    } catch {
      // nowhere left to report to
    }
  };

  /** @param {object | null} envelope */
  const send = (envelope) => {
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
        startHook(binary, envelope, (error) => warnOnce(`periscope: cannot start ${binary}: ${error.message}`));
      }
    } catch (error) {
      warnOnce(`periscope: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  return {
    event: async (input) => send(forwarder.event(input?.event)),
    // Awaited by OpenCode: these only filter and spawn, and never read the output argument.
    "tool.execute.before": async (input) => send(forwarder.tool("tool.execute.before", input)),
    "tool.execute.after": async (input) => send(forwarder.tool("tool.execute.after", input)),
  };
};
