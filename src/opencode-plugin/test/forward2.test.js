import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { MEMORY } from "../lib/forward.js";
import { createForwarder2 } from "../lib/forward2.js";

const fixtures = fileURLToPath(new URL("../../../tests/Periscope.Tests/Fixtures/opencode2/", import.meta.url));

/** Plays a recorded OpenCode 2 session through one forwarder; returns what it would send and every call. */
function replay(name) {
  const forwarder = createForwarder2({ now: () => 42 });
  const sent = [];
  const calls = readFileSync(fixtures + name, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line));
  for (const call of calls) {
    const envelope =
      call.hook === "event" ? forwarder.event(call.input)
      : call.hook.startsWith("tool.execute.") ? forwarder.tool(call.hook, call.input)
      : null;
    if (envelope) sent.push(envelope);
  }
  return { sent, calls };
}

const kinds = (sent) => sent.map((e) => (e.event ? e.event.type : `${e.hook}:${e.input.tool}`));

test("a recorded 2.1.2 session forwards each ended step as a completed message, the session, idle and shell calls only", () => {
  const { sent } = replay("session-with-commit.hooks.jsonl");
  assert.deepEqual(kinds(sent), [
    "session.updated", // its title (the session was created before the plugin subscribed)
    "tool.execute.before:shell",
    "tool.execute.after:shell",
    "message.updated",
    "message.updated",
    "session.idle",
  ]);
});

test("a step's envelope joins what step.started and step.ended said, at the end event's time", () => {
  const { sent, calls } = replay("session-with-commit.hooks.jsonl");
  const started = calls.find((c) => c.input?.type === "session.step.started").input;
  const ended = calls.find((c) => c.input?.type === "session.step.ended").input;
  const info = sent.find((e) => e.event?.type === "message.updated").event.properties.info;
  assert.deepEqual(info, {
    id: started.data.assistantMessageID,
    sessionID: started.data.sessionID,
    role: "assistant",
    agent: "build",
    modelID: "fake-model",
    providerID: "fake",
    cost: 0.00357,
    tokens: { input: 1000, output: 34, reasoning: 0, cache: { read: 200, write: 0 } },
    time: { created: started.data.started, completed: ended.created },
    finish: "tool-calls",
    path: { cwd: "/home/dev/project", root: "/home/dev/project" },
  });
});

test("a sub-agent session is forwarded with its parent; the subagent tool is not", () => {
  const { sent } = replay("session-with-subagent.hooks.jsonl");
  const created = sent.find((e) => e.event?.type === "session.created").event.properties.info;
  assert.equal(created.title, "Commit the changes");
  assert.equal(created.agent, "general");
  assert.match(created.parentID, /^ses_/);
  assert.equal(sent.filter((e) => e.event?.type === "message.updated").length, 4);
  assert.ok(sent.every((e) => e.input?.tool !== "subagent"));
  // The child's shell call carries the child's directory, learned from its events.
  const shell = sent.find((e) => e.input?.tool === "shell");
  assert.equal(shell.input.sessionID, sent.find((e) => e.event?.type === "session.created").event.properties.sessionID);
  assert.equal(shell.directory, "/home/dev/project");
});

test("each envelope carries its own event's directory, not the plugin's start-up one", () => {
  const forwarder = createForwarder2({ now: () => 1 });
  const step = (session, message, directory, type, extra = {}) =>
    forwarder.event({ type, created: 10, location: { directory }, data: { sessionID: session, assistantMessageID: message, model: { id: "m", providerID: "p" }, ...extra } });
  step("ses_a", "msg_a", "/repos/a", "session.step.started");
  step("ses_b", "msg_b", "/repos/b", "session.step.started");
  const a = step("ses_a", "msg_a", "/repos/a", "session.step.ended", { cost: 1 });
  const b = step("ses_b", "msg_b", "/repos/b", "session.step.ended", { cost: 2 });
  assert.equal(a.directory, "/repos/a");
  assert.equal(a.event.properties.info.path.cwd, "/repos/a");
  assert.equal(b.directory, "/repos/b");
  assert.equal(forwarder.tool("tool.execute.before", { tool: "shell", sessionID: "ses_b", id: "call_1" }).directory, "/repos/b");
});

test("no prompt, text, command, tool output, header or system prompt is forwarded", () => {
  for (const name of ["session-with-commit.hooks.jsonl", "session-with-subagent.hooks.jsonl"]) {
    const text = JSON.stringify(replay(name).sent);
    for (const secret of ["make a commit", "SUBAGENT:", "git add", "INJECT", "title generator", "x-opencode", "done\"", "snapshot"]) {
      assert.ok(!text.includes(secret), `${secret} forwarded from ${name}`);
    }
  }
});

test("the same ended step or tool call is forwarded once, and malformed events forward nothing and never throw", () => {
  const forwarder = createForwarder2({ now: () => 1 });
  const ended = { type: "session.step.ended", created: 5, data: { sessionID: "s", assistantMessageID: "m", cost: 1 } };
  assert.ok(forwarder.event(ended));
  assert.equal(forwarder.event(ended), null);
  const call = { tool: "shell", sessionID: "s", id: "c" };
  assert.ok(forwarder.tool("tool.execute.before", call));
  assert.equal(forwarder.tool("tool.execute.before", call), null);
  for (const odd of [undefined, null, 7, "x", {}, { type: "session.step.ended" }, { type: "session.step.ended", data: { sessionID: "s" } }, { type: "session.text.delta", data: { sessionID: "s", delta: "secret" } }]) {
    assert.equal(forwarder.event(odd), null);
  }
  for (const odd of [undefined, null, {}, { tool: "shell" }, { tool: "read", sessionID: "s", id: "c" }]) {
    assert.equal(forwarder.tool("tool.execute.after", /** @type {any} */ (odd)), null);
  }
});

test("steps and sessions remembered are bounded", () => {
  const forwarder = createForwarder2({ now: () => 1 });
  for (let i = 0; i < MEMORY + 10; i++) {
    forwarder.event({ type: "session.step.started", created: 1, data: { sessionID: `s${i}`, assistantMessageID: `m${i}`, model: { id: "m", providerID: "p" } } });
  }
  // The oldest start is forgotten: its end still forwards, without the model it no longer knows.
  const oldest = forwarder.event({ type: "session.step.ended", created: 2, data: { sessionID: "s0", assistantMessageID: "m0" } });
  assert.equal(oldest.event.properties.info.modelID, undefined);
  const newest = forwarder.event({ type: "session.step.ended", created: 2, data: { sessionID: `s${MEMORY + 9}`, assistantMessageID: `m${MEMORY + 9}` } });
  assert.equal(newest.event.properties.info.modelID, "m");
});

test("the idle envelope carries the session's latest running totals, title request included", () => {
  const { sent, calls } = replay("session-with-commit.hooks.jsonl");
  const last = calls.filter((c) => c.input?.type === "session.usage.updated").at(-1).input;
  const idle = sent.find((e) => e.event?.type === "session.idle").event.properties;
  assert.deepEqual(idle.info, {
    sessionID: last.data.sessionID,
    cost: 0.010709999999999999,
    tokens: { input: 3000, output: 102, reasoning: 0, cache: { read: 600, write: 0 } },
    time: { updated: last.created },
  });
  // Nothing but the idle envelope is spent on totals: one per execution, in both sessions.
  const { sent: child } = replay("session-with-subagent.hooks.jsonl");
  assert.deepEqual(child.filter((e) => e.event?.type === "session.idle").map((e) => e.event.properties.info.cost), [0.00714, 0.010709999999999999]);
});

test("totals that arrive while no execution runs are sent at once, and the same totals once", () => {
  const forwarder = createForwarder2({ now: () => 1 });
  const usage = (cost) => forwarder.event({ type: "session.usage.updated", created: 9, data: { sessionID: "s", cost, tokens: { input: cost * 10 } } });
  forwarder.event({ type: "session.execution.started", data: { sessionID: "s" } });
  assert.equal(usage(1), null);
  assert.equal(forwarder.event({ type: "session.execution.succeeded", data: { sessionID: "s" } }).event.properties.info.cost, 1);
  // The title ended after the answer: its totals go on their own.
  const late = usage(2);
  assert.equal(late.event.type, "session.idle");
  assert.equal(late.event.properties.info.cost, 2);
  assert.equal(usage(2), null);
  // An idle with nothing new still goes (it starts delivery), without totals.
  assert.equal(forwarder.event({ type: "session.execution.failed", data: { sessionID: "s" } }).event.properties.info, undefined);
  assert.equal(usage(Number.NaN), null);
});
