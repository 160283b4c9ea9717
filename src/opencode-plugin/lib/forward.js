// Which OpenCode hook calls reach `periscope hook opencode`, and in what shape.
//
// Only metadata leaves OpenCode: completed assistant messages, session starts and title, parent
// or agent changes, session idle, and bash tool calls by their ids. Every object is rebuilt from
// named fields, so prompts, parts, tool arguments and output, and chat.params (which holds the
// provider's API key) can never be forwarded by accident.

import { isNumber, isText, number, once, remember, text, tokens } from "./fields.js";

export { MEMORY } from "./fields.js";

/**
 * @typedef {{ hook: string, t: number, directory: string, worktree: string,
 *   event?: { type: string, properties: Record<string, unknown> },
 *   input?: { tool: string, sessionID: string, callID: string } }} Envelope
 */

/**
 * A forwarder for one plugin instance: each method returns the envelope to send, or null.
 * @param {{ directory: string, worktree: string, now?: () => number }} context
 */
export function createForwarder({ directory, worktree, now = Date.now }) {
  const sent = new Set();
  /** @type {Map<string, string>} session id -> the title, parent and agent last forwarded */
  const sessions = new Map();

  /** @param {string} hook @param {Partial<Envelope>} body @returns {Envelope} */
  const envelope = (hook, body) => ({ hook, t: now(), directory, worktree, ...body });

  /** @param {string} type @param {Record<string, unknown>} properties */
  const busEvent = (type, properties) => envelope("event", { event: { type, properties } });

  return {
    /** @param {unknown} event The `event` of OpenCode's event hook. @returns {Envelope | null} */
    event(event) {
      const { type, properties } = /** @type {{ type?: unknown, properties?: any }} */ (event ?? {});
      const info = properties?.info;
      switch (type) {
        case "message.updated": {
          if (info?.role !== "assistant" || !isNumber(info.time?.completed) || !isText(info.id)) return null;
          if (!once(sent, `m:${info.id}:${info.time.completed}`)) return null;
          return busEvent(type, { sessionID: text(info.sessionID), info: assistantMessage(info) });
        }
        case "session.created":
        case "session.updated": {
          if (!isText(info?.id)) return null;
          const shape = JSON.stringify([text(info.title), text(info.parentID), text(info.agent)]);
          if (sessions.get(info.id) === shape) return null;
          remember(sessions, info.id, shape);
          return busEvent(type, { sessionID: info.id, info: session(info) });
        }
        case "session.idle":
          return isText(properties?.sessionID) ? busEvent(type, { sessionID: properties.sessionID }) : null;
        default:
          return null;
      }
    },

    /**
     * @param {"tool.execute.before" | "tool.execute.after"} hook
     * @param {{ tool?: unknown, sessionID?: unknown, callID?: unknown } | undefined} input The hook's first argument; the second (arguments, output) is never read.
     * @returns {Envelope | null}
     */
    tool(hook, input) {
      if (input?.tool !== "bash" || !isText(input.sessionID) || !isText(input.callID)) return null;
      if (!once(sent, `${hook}:${input.callID}`)) return null;
      return envelope(hook, { input: { tool: "bash", sessionID: input.sessionID, callID: input.callID } });
    },
  };
}

/** The fields of an assistant message the binary reads; the error keeps its name only. */
function assistantMessage(/** @type {any} */ info) {
  return {
    id: info.id,
    sessionID: text(info.sessionID),
    parentID: text(info.parentID),
    role: "assistant",
    mode: text(info.mode),
    agent: text(info.agent),
    modelID: text(info.modelID),
    providerID: text(info.providerID),
    cost: isNumber(info.cost) ? info.cost : undefined,
    tokens: tokens(info.tokens),
    time: times(info.time),
    finish: text(info.finish),
    error: isText(info.error?.name) ? { name: info.error.name } : undefined,
    path: info.path && typeof info.path === "object" ? { cwd: text(info.path.cwd), root: text(info.path.root) } : undefined,
  };
}

function session(/** @type {any} */ info) {
  return {
    id: info.id,
    title: text(info.title),
    parentID: text(info.parentID),
    projectID: text(info.projectID),
    directory: text(info.directory),
    agent: text(info.agent),
    time: times(info.time),
  };
}

function times(/** @type {any} */ t) {
  if (!t || typeof t !== "object") return undefined;
  return { created: number(t.created), completed: number(t.completed), updated: number(t.updated) };
}
