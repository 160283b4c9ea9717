import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { createForwarder, MEMORY } from "../lib/forward.js";

const fixtures = fileURLToPath(new URL("../../../tests/Periscope.Tests/Fixtures/opencode/", import.meta.url));

/** Plays a recorded session (hook calls as OpenCode made them) through one forwarder. */
function replay(name) {
  const forwarder = createForwarder({ directory: "/home/dev/src/widgets", worktree: "/home/dev/src/widgets", now: () => 42 });
  const sent = [];
  for (const line of readFileSync(fixtures + name, "utf8").split("\n").filter(Boolean)) {
    const call = JSON.parse(line);
    const envelope =
      call.hook === "event" ? forwarder.event(call.input.event)
      : call.hook.startsWith("tool.execute.") ? forwarder.tool(call.hook, call.input)
      : null;
    if (envelope) sent.push(envelope);
  }
  return sent;
}

const kinds = (sent) => sent.map((e) => (e.event ? e.event.type : `${e.hook}:${e.input.tool}`));

test("a recorded session forwards completed assistant messages, session changes, idle and bash calls only", () => {
  const sent = replay("session-with-commit.hooks.jsonl");
  assert.deepEqual(kinds(sent), [
    "session.created",
    "session.updated", // the agent appears
    "session.updated", // the generated title
    "tool.execute.before:bash",
    "tool.execute.after:bash",
    "message.updated",
    "message.updated",
    "session.idle",
  ]);
  const messages = sent.filter((e) => e.event?.type === "message.updated").map((e) => e.event.properties.info);
  assert.ok(messages.every((m) => m.role === "assistant" && m.time.completed > 0));
  assert.equal(new Set(messages.map((m) => m.id)).size, 2);
  assert.equal(sent.find((e) => e.event?.type === "session.updated" && e.event.properties.info.title === "Commit the work")?.event.properties.sessionID, "ses_df0f0b331ffeDYh50YSwxf08pI");
});

test("every envelope carries the plugin's directory, worktree and the call time", () => {
  for (const envelope of replay("session-with-commit.hooks.jsonl")) {
    assert.equal(envelope.directory, "/home/dev/src/widgets");
    assert.equal(envelope.worktree, "/home/dev/src/widgets");
    assert.equal(envelope.t, 42);
  }
});

test("no prompt, command, tool output, part text or API key is forwarded", () => {
  const sent = JSON.stringify(replay("session-with-commit.hooks.jsonl").concat(replay("session-with-subagent.hooks.jsonl")));
  for (const secret of ["PROMPT_CANARY_77", "git commit", "test-commit", "fake-key", "apiKey", "baseURL", "\"args\"", "\"metadata\"", "\"part\"", "\"parts\"", "\"text\"", "\"permission\"", "\"summary\""]) {
    assert.ok(!sent.includes(secret), `forwarded ${secret}`);
  }
});

test("a sub-agent session is forwarded with its parent; the task tool is not", () => {
  const sent = replay("session-with-subagent.hooks.jsonl");
  const child = sent.find((e) => e.event?.type === "session.created" && e.event.properties.info.parentID);
  assert.ok(child, "the sub-agent's session.created");
  assert.match(child.event.properties.info.title, /subagent/);
  assert.ok(!kinds(sent).some((k) => k.endsWith(":task")));
  assert.equal(kinds(sent).filter((k) => k === "message.updated").length, 4);
});

test("the same completed message, session state or tool call is forwarded once", () => {
  const forwarder = createForwarder({ directory: "/p", worktree: "/p" });
  const message = { type: "message.updated", properties: { info: { id: "msg_1", sessionID: "ses_1", role: "assistant", time: { created: 1, completed: 2 } } } };
  assert.ok(forwarder.event(message));
  assert.equal(forwarder.event(structuredClone(message)), null);
  const session = { type: "session.updated", properties: { info: { id: "ses_1", title: "A" } } };
  assert.ok(forwarder.event(session));
  assert.equal(forwarder.event(session), null);
  assert.ok(forwarder.event({ type: "session.updated", properties: { info: { id: "ses_1", title: "B" } } }));
  const call = { tool: "bash", sessionID: "ses_1", callID: "call_1" };
  assert.ok(forwarder.tool("tool.execute.before", call));
  assert.equal(forwarder.tool("tool.execute.before", call), null);
  assert.ok(forwarder.tool("tool.execute.after", call));
});

test("incomplete, user and malformed messages are not forwarded, and nothing throws", () => {
  const forwarder = createForwarder({ directory: "/p", worktree: "/p" });
  for (const event of [
    undefined, null, 7, "x", {}, { type: "message.updated" }, { type: "message.updated", properties: null },
    { type: "message.updated", properties: { info: { id: "m", role: "assistant", time: { created: 1 } } } },
    { type: "message.updated", properties: { info: { id: "m", role: "user", time: { created: 1, completed: 2 } } } },
    { type: "session.created", properties: { info: { title: "no id" } } },
    { type: "session.idle", properties: {} },
    { type: "message.part.updated", properties: { part: { text: "secret" } } },
  ]) {
    assert.equal(forwarder.event(event), null);
  }
  for (const input of [undefined, {}, { tool: "read", sessionID: "s", callID: "c" }, { tool: "bash", sessionID: "s" }]) {
    assert.equal(forwarder.tool("tool.execute.before", input), null);
  }
});

test("deduplication remembers a bounded number of ids", () => {
  const forwarder = createForwarder({ directory: "/p", worktree: "/p" });
  const call = (i) => ({ tool: "bash", sessionID: "s", callID: `c${i}` });
  for (let i = 0; i <= MEMORY; i++) assert.ok(forwarder.tool("tool.execute.before", call(i)));
  assert.ok(forwarder.tool("tool.execute.before", call(0)), "the oldest id was forgotten");
  assert.equal(forwarder.tool("tool.execute.before", call(MEMORY)), null, "a recent id is remembered");
});
