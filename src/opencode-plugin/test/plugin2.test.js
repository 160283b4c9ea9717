import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import plugin from "../index.js";

const fixtures = fileURLToPath(new URL("../../../tests/Periscope.Tests/Fixtures/opencode2/", import.meta.url));
const binary = process.env.PERISCOPE_TEST_BINARY;

/**
 * An OpenCode 2 plugin context as 2.1.2 hands it over: an event stream (async iterable) and
 * tool hooks, here fed from a recorded session, in its order.
 */
function context() {
  /** @type {unknown[]} */
  const queue = [];
  /** @type {((value: IteratorResult<unknown>) => void) | null} */
  let waiting = null;
  let closed = false;
  const hooks = new Map();
  const ctx = {
    event: {
      subscribe: () => ({
        [Symbol.asyncIterator]: () => ({
          next: () => new Promise((resolve) => {
            if (queue.length) resolve({ value: queue.shift(), done: false });
            else if (closed) resolve({ value: undefined, done: true });
            else waiting = resolve;
          }),
          return: async () => { closed = true; waiting?.({ value: undefined, done: true }); return { value: undefined, done: true }; },
        }),
      }),
    },
    tool: { hook: async (name, fn) => { hooks.set(name, fn); } },
    shell: { hook: async () => {} },
  };
  const emit = (event) => {
    if (waiting) { const w = waiting; waiting = null; w({ value: event, done: false }); } else queue.push(event);
  };
  /** Plays a recorded session: events into the stream, tool hook calls awaited as OpenCode does. */
  const play = async (name) => {
    for (const line of readFileSync(fixtures + name, "utf8").split("\n").filter(Boolean)) {
      const call = JSON.parse(line);
      if (call.hook === "event") emit(call.input);
      else if (call.hook.startsWith("tool.execute.")) await hooks.get(call.hook.slice("tool.".length))?.(call.input);
      await new Promise((r) => setImmediate(r));
    }
  };
  return { ctx, play, hooks };
}

async function waitFor(predicate, what) {
  const deadline = Date.now() + 15_000;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("setup registers the shell tool hooks, follows the event stream and returns a dispose that ends it", async () => {
  const saved = process.env.PERISCOPE_BIN;
  process.env.PERISCOPE_BIN = "/nowhere/periscope";
  const warn = console.warn;
  console.warn = () => {};
  try {
    const { ctx, hooks } = context();
    const dispose = plugin.setup(ctx);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual([...hooks.keys()].sort(), ["execute.after", "execute.before"]);
    assert.equal(typeof dispose, "function");
    dispose();
  } finally {
    process.env.PERISCOPE_BIN = saved;
    console.warn = warn;
  }
});

for (const [name, expected] of [["session-with-commit.hooks.jsonl", { messages: 2, subagents: 0, totals: 1 }], ["session-with-subagent.hooks.jsonl", { messages: 4, subagents: 1, totals: 2 }]]) {
  test(`OpenCode 2.1.2's ${name} reaches the real periscope binary's spool: every step, the sessions, metadata only`, { skip: !binary && "PERISCOPE_TEST_BINARY is not set" }, async () => {
    const home = mkdtempSync(path.join(tmpdir(), "periscope-shim2-home-"));
    Object.assign(process.env, { PERISCOPE_BIN: binary, PERISCOPE_HOME: home, PERISCOPE_WORKER: "off", PERISCOPE_LOGIN_PROMPT: "off" });
    const { ctx, play } = context();
    const dispose = plugin.setup(ctx);
    await play(name);
    dispose();

    const spool = path.join(home, "spool");
    const read = () => (existsSync(spool) ? readdirSync(spool).filter((f) => f.endsWith(".json")).map((f) => JSON.parse(readFileSync(path.join(spool, f), "utf8"))) : []);
    const messages = () => read().filter((e) => e.kind === "assistant_message");
    const totals = () => read().filter((e) => e.kind === "session_usage");
    await waitFor(
      () => messages().length >= expected.messages && totals().length >= expected.totals && read().some((e) => e.kind === "session" && e.title === "Make a test commit"),
      `${expected.messages} messages, ${expected.totals} session totals and the titled session`,
    );
    const events = read();
    assert.equal(messages().length, expected.messages);
    for (const m of messages()) {
      assert.equal(m.model_id, "fake-model");
      assert.equal(m.provider_id, "fake");
      assert.equal(m.cost_usd, 0.00357);
      assert.deepEqual(m.tokens, { input: 1000, output: 34, reasoning: 0, cache_read: 200, cache_write: 0 });
      assert.ok(["tool-calls", "stop"].includes(m.finish_reason));
      assert.ok(m.completed_at >= m.created_at);
    }
    // The top-level session's totals count the title request that has no step: 3 x 0.00357.
    const top = totals().find((t) => t.cost_usd > 0.01);
    assert.deepEqual(top.tokens, { input: 3000, output: 102, reasoning: 0, cache_read: 600, cache_write: 0 });
    assert.equal(totals().length, expected.totals);
    const sessions = events.filter((e) => e.kind === "session");
    assert.equal(sessions.filter((s) => s.is_subagent).length, expected.subagents);
    assert.ok(sessions.some((s) => !s.is_subagent), "the top-level session, created before the plugin subscribed, has its event");
    if (expected.subagents) {
      const child = sessions.find((s) => s.is_subagent);
      assert.equal(child.title, "Commit the changes");
      assert.ok(sessions.some((s) => s.session_id === child.parent_session_id && !s.is_subagent));
    }
    const written = JSON.stringify(events);
    for (const secret of ["make a commit", "SUBAGENT:", "test-commit", "INJECT", "/home/dev", "done"]) {
      assert.ok(!written.includes(secret), `the spool holds ${secret}`);
    }
  });
}
