// @periscope/opencode-analytics: the OpenCode plugin of Periscope, for OpenCode 2.x and 1.18.
//
// For each hook call or event worth keeping it starts `periscope hook opencode` with a
// metadata-only envelope and returns at once; the binary does the rest (git context, spool,
// delivery). It never awaits the binary and never throws into OpenCode.
//
// One default export serves both versions: OpenCode 1.18 calls `server`, OpenCode 2 calls
// `setup(ctx)`. OpenCode 1.18 calls `setup` too, with a ctx that has no event stream or tool
// hooks; `setup` does nothing there, or every message would be counted twice. OpenCode 1.18 also
// calls every export of a module as a plugin, so there are no named exports.

import { createForwarder } from "./lib/forward.js";
import { createForwarder2 } from "./lib/forward2.js";
import { createSender } from "./lib/send.js";

/** OpenCode 1.18's plugin function. @type {import("@opencode-ai/plugin").Plugin} */
const server = async ({ client, directory, worktree }) => {
  const forwarder = createForwarder({ directory, worktree });
  const send = createSender((message) => {
    client?.app?.log({ body: { service: "periscope", level: "warn", message } })?.catch?.(() => {});
  });
  return {
    event: async (input) => send(forwarder.event(input?.event)),
    // Awaited by OpenCode: these only filter and spawn, and never read the output argument.
    "tool.execute.before": async (input) => send(forwarder.tool("tool.execute.before", input)),
    "tool.execute.after": async (input) => send(forwarder.tool("tool.execute.after", input)),
  };
};

/**
 * OpenCode 2's plugin setup: follows the event stream and the shell tool's calls until disposed.
 * @param {any} ctx
 * @returns {(() => void) | undefined} the dispose function, or nothing in OpenCode 1.18
 */
function setup(ctx) {
  if (typeof ctx?.event?.subscribe !== "function" || typeof ctx?.tool?.hook !== "function") return undefined;
  const forwarder = createForwarder2();
  // OpenCode 2 runs plugins in its server process, whose stdout may be its protocol: stderr only.
  const send = createSender((message) => console.warn(message));
  /** @type {AsyncIterator<unknown> | undefined} */
  let events;
  try {
    events = ctx.event.subscribe()[Symbol.asyncIterator]();
  } catch (error) {
    console.warn(`periscope: cannot follow OpenCode's events: ${error instanceof Error ? error.message : String(error)}`);
  }
  const follow = async (/** @type {AsyncIterator<unknown>} */ stream) => {
    for (;;) {
      const next = await stream.next();
      if (next.done) return;
      send(forwarder.event(next.value));
    }
  };
  if (events) follow(events).catch(() => {});
  for (const hook of /** @type {const} */ (["execute.before", "execute.after"])) {
    try {
      // Awaited by OpenCode: the handler only filters and spawns, and never reads input or result.
      Promise.resolve(ctx.tool.hook(hook, async (/** @type {any} */ input) => send(forwarder.tool(`tool.${hook}`, input)))).catch(() => {});
    } catch {
      // a tool hook OpenCode refuses: messages and sessions are still captured
    }
  }
  return () => {
    events?.return?.()?.catch?.(() => {});
  };
}

export default { id: "periscope-analytics", server, setup };
