// Which OpenCode 2 events and tool calls reach `periscope hook opencode`, and in what shape.
//
// OpenCode 2 reports an assistant message as a step: `session.step.started` names the model,
// provider and agent, `session.step.ended` carries the tokens, cost and finish. This forwarder
// joins the two into the envelope the binary reads for a completed assistant message (the same
// one OpenCode 1.18's `message.updated` becomes), so both versions give the binary one contract.
// Sessions are forwarded as they are created or renamed; a session first seen by its first step
// (the top-level session of `opencode run` is created before plugins subscribe) is forwarded
// then, with no parent. Shell calls are forwarded by their ids.
//
// A session's cost also counts requests without a step (the title): `session.usage.updated`
// carries the running totals. The latest totals ride on the idle envelope that is sent anyway when
// an execution ends, so they cost no process of their own; totals that arrive while no execution
// runs (a title finishing after the answer) are sent at once. Every object is rebuilt from
// named fields: prompts, text deltas, tool input and output, and headers are never read.
//
// One plugin instance can serve several directories (OpenCode 2's shared background service), so
// each envelope carries the directory of its own event or session, never the plugin's start-up one.

import { MEMORY, isText, number, once, remember, text, tokens } from "./fields.js";

/**
 * @typedef {{ hook: string, t: number, directory?: string, worktree?: string,
 *   event?: { type: string, properties: Record<string, unknown> },
 *   input?: { tool: string, sessionID: string, callID: string } }} Envelope
 * @typedef {{ title?: string, parentID?: string, agent?: string, projectID?: string, directory?: string, created?: number }} SessionFacts
 * @typedef {{ agent?: string, modelID?: string, providerID?: string, started?: number, directory?: string }} StepStart
 */

/**
 * A forwarder for one OpenCode 2 plugin instance: each method returns the envelope to send, or null.
 * @param {{ now?: () => number }} [options]
 */
export function createForwarder2({ now = Date.now } = {}) {
  const sent = new Set();
  /** @type {Map<string, SessionFacts>} */
  const sessions = new Map();
  /** @type {Map<string, string>} session id -> the title, parent and agent last forwarded */
  const forwarded = new Map();
  /** @type {Map<string, StepStart>} assistant message id -> what its step.started said */
  const steps = new Map();
  /** @type {Map<string, { cost: number, tokens: unknown, created?: number }>} session id -> its latest running totals */
  const totals = new Map();
  /** @type {Map<string, string>} session id -> the totals last forwarded */
  const forwardedTotals = new Map();
  /** Sessions with an execution under way. */
  const running = new Set();

  /** @param {string} hook @param {string | undefined} directory @param {Partial<Envelope>} body @returns {Envelope} */
  const envelope = (hook, directory, body) => ({ hook, t: now(), directory, worktree: directory, ...body });

  /** The session's known facts as a session envelope, unless the same state was forwarded last. */
  const sessionEnvelope = (/** @type {string} */ id, /** @type {"session.created" | "session.updated"} */ type) => {
    const facts = sessions.get(id) ?? {};
    const shape = JSON.stringify([facts.title, facts.parentID, facts.agent]);
    if (forwarded.get(id) === shape) return null;
    remember(forwarded, id, shape);
    const info = {
      id,
      title: facts.title,
      parentID: facts.parentID,
      projectID: facts.projectID,
      directory: facts.directory,
      agent: facts.agent,
      time: { created: facts.created },
    };
    return envelope("event", facts.directory, { event: { type, properties: { sessionID: id, info } } });
  };

  /** An idle envelope with the session's latest totals, if they changed since last sent. */
  const idleEnvelope = (/** @type {string} */ id, /** @type {boolean} */ always) => {
    const latest = totals.get(id);
    const shape = latest ? JSON.stringify([latest.cost, latest.tokens]) : undefined;
    const fresh = shape !== undefined && forwardedTotals.get(id) !== shape;
    if (!fresh && !always) return null;
    if (fresh) remember(forwardedTotals, id, shape);
    const info = fresh ? { sessionID: id, cost: latest?.cost, tokens: latest?.tokens, time: { updated: latest?.created } } : undefined;
    return envelope("event", sessions.get(id)?.directory, { event: { type: "session.idle", properties: { sessionID: id, info } } });
  };

  /** Merges what an event says of a session into its facts. @param {string} id @param {SessionFacts} facts */
  const learn = (id, facts) => {
    /** @type {SessionFacts} */
    const merged = { ...sessions.get(id) };
    for (const [key, value] of Object.entries(facts)) {
      if (value !== undefined) /** @type {any} */ (merged)[key] = value;
    }
    remember(sessions, id, merged);
  };

  return {
    /** @param {unknown} event One event of `ctx.event.subscribe()`. @returns {Envelope | null} */
    event(event) {
      const { type, data, location, created } = /** @type {{ type?: unknown, data?: any, location?: any, created?: unknown }} */ (event ?? {});
      const directory = text(location?.directory) ?? text(data?.location?.directory);
      const sessionID = text(data?.sessionID);
      if (!sessionID) return null;
      switch (type) {
        case "session.created": {
          learn(sessionID, {
            title: text(data.title),
            parentID: text(data.parentID),
            agent: text(data.agent),
            projectID: text(data.projectID),
            directory,
            created: number(created),
          });
          return sessionEnvelope(sessionID, "session.created");
        }
        case "session.renamed":
          learn(sessionID, { title: text(data.title), directory });
          return sessionEnvelope(sessionID, "session.updated");
        case "session.step.started": {
          const messageID = text(data.assistantMessageID);
          if (!messageID) return null;
          const known = sessions.get(sessionID) ?? {};
          learn(sessionID, { directory, agent: known.agent ?? text(data.agent) });
          remember(steps, messageID, {
            agent: text(data.agent),
            modelID: text(data.model?.id),
            providerID: text(data.model?.providerID),
            started: number(data.started) ?? number(created),
            directory: directory ?? known.directory,
          });
          // A session that began before this plugin subscribed is known from its first step.
          return forwarded.has(sessionID) ? null : sessionEnvelope(sessionID, "session.updated");
        }
        case "session.step.ended": {
          const messageID = text(data.assistantMessageID);
          const completed = number(created);
          if (!messageID || completed === undefined || !once(sent, `m:${messageID}`)) return null;
          const start = steps.get(messageID);
          steps.delete(messageID);
          const where = directory ?? start?.directory ?? sessions.get(sessionID)?.directory;
          const info = {
            id: messageID,
            sessionID,
            role: "assistant",
            agent: start?.agent,
            modelID: start?.modelID,
            providerID: start?.providerID,
            cost: number(data.cost),
            tokens: tokens(data.tokens),
            time: { created: start?.started ?? completed, completed },
            finish: text(data.finish),
            path: where ? { cwd: where, root: where } : undefined,
          };
          return envelope("event", where, { event: { type: "message.updated", properties: { sessionID, info } } });
        }
        case "session.execution.started":
          if (running.size >= MEMORY) running.clear();
          running.add(sessionID);
          return null;
        case "session.usage.updated": {
          const cost = number(data.cost);
          const counts = tokens(data.tokens);
          if (cost === undefined || !counts) return null;
          remember(totals, sessionID, { cost, tokens: counts, created: number(created) });
          return running.has(sessionID) ? null : idleEnvelope(sessionID, false);
        }
        case "session.execution.succeeded":
        case "session.execution.failed":
          // The session is idle again: the binary starts the worker, so delivery is prompt.
          running.delete(sessionID);
          return idleEnvelope(sessionID, true);
        default:
          return null;
      }
    },

    /**
     * @param {"tool.execute.before" | "tool.execute.after"} hook
     * @param {{ tool?: unknown, sessionID?: unknown, id?: unknown } | undefined} input The hook's argument; its `input` (the command) and `result` are never read.
     * @returns {Envelope | null}
     */
    tool(hook, input) {
      if (input?.tool !== "shell" || !isText(input.sessionID) || !isText(input.id)) return null;
      if (!once(sent, `${hook}:${input.id}`)) return null;
      const directory = sessions.get(input.sessionID)?.directory;
      return envelope(hook, directory, { input: { tool: "shell", sessionID: input.sessionID, callID: input.id } });
    },
  };
}
