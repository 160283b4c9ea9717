import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import * as module from "../index.js";

const { server } = module.default;

const fixture = fileURLToPath(new URL("../../../tests/Periscope.Tests/Fixtures/opencode/session-with-commit.hooks.jsonl", import.meta.url));
const binary = process.env.PERISCOPE_TEST_BINARY;

/** Calls the plugin's hooks the way OpenCode did in a recorded session, both arguments included. */
async function play(hooks) {
  for (const line of readFileSync(fixture, "utf8").split("\n").filter(Boolean)) {
    const call = JSON.parse(line);
    if (call.hook === "event") await hooks.event(call.input);
    else if (hooks[call.hook]) await hooks[call.hook](call.input, call.output);
  }
}

function logger() {
  const lines = [];
  return { lines, client: { app: { log: async ({ body }) => { lines.push(body); return {}; } } } };
}

async function waitFor(predicate, what) {
  const deadline = Date.now() + 15_000;
  while (!predicate()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test("the module exports one default {id, server, setup} and nothing else (OpenCode 1.18 calls every export)", () => {
  assert.deepEqual(Object.keys(module), ["default"]);
  assert.deepEqual(Object.keys(module.default), ["id", "server", "setup"]);
  assert.equal(typeof module.default.server, "function");
  assert.equal(typeof module.default.setup, "function");
});

test("setup does nothing with OpenCode 1.18's ctx, which has no event stream or tool hooks", () => {
  for (const ctx of [undefined, null, {}, { client: {}, directory: "/p", worktree: "/p" }, { event: {}, tool: {} }]) {
    assert.equal(module.default.setup(ctx), undefined);
  }
});

test("a recorded session reaches the real periscope binary's spool as metadata only", { skip: !binary && "PERISCOPE_TEST_BINARY is not set" }, async () => {
  const home = mkdtempSync(path.join(tmpdir(), "periscope-shim-home-"));
  Object.assign(process.env, { PERISCOPE_BIN: binary, PERISCOPE_HOME: home, PERISCOPE_WORKER: "off", PERISCOPE_LOGIN_PROMPT: "off" });
  const { lines, client } = logger();
  const hooks = await server({ client, directory: "/home/dev/src/widgets", worktree: "/home/dev/src/widgets" });
  await play(hooks);

  const spool = path.join(home, "spool");
  const events = () => (existsSync(spool) ? readdirSync(spool).filter((f) => f.endsWith(".json")) : []);
  // Two assistant messages and one session (created, then its title and agent).
  await waitFor(() => events().length >= 3 && events().map((f) => readFileSync(path.join(spool, f), "utf8")).join().includes("Commit the work"), "three events in the spool");
  const written = events().map((f) => readFileSync(path.join(spool, f), "utf8"));
  assert.equal(written.filter((e) => e.includes('"assistant_message"')).length, 2);
  for (const secret of ["PROMPT_CANARY_77", "test-commit", "fake-key", "/home/dev"]) {
    assert.ok(!written.join().includes(secret), `the spool holds ${secret}`);
  }
  assert.deepEqual(lines, [], "nothing to warn about");
});

test("a missing binary is reported once to OpenCode's log, and no hook throws", async () => {
  const saved = { PATH: process.env.PATH, PERISCOPE_BIN: process.env.PERISCOPE_BIN };
  Object.assign(process.env, { PATH: "/nowhere", PERISCOPE_BIN: "/nowhere/periscope" });
  try {
    const { lines, client } = logger();
    const hooks = await server({ client, directory: "/p", worktree: "/p" });
    await play(hooks);
    assert.equal(lines.length, 1);
    assert.equal(lines[0].level, "warn");
    assert.match(lines[0].message, /executable not found.*PERISCOPE_BIN=\/nowhere\/periscope/);
  } finally {
    Object.assign(process.env, saved);
  }
});

test("a binary that cannot start is reported once, and a failing log does not throw", async () => {
  const saved = process.env.PERISCOPE_BIN;
  process.env.PERISCOPE_BIN = fileURLToPath(new URL("../package.json", import.meta.url)); // exists, not executable
  try {
    const { lines, client } = logger();
    const hooks = await server({ client, directory: "/p", worktree: "/p" });
    await play(hooks);
    await waitFor(() => lines.length > 0, "the spawn error");
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(lines.length, 1);
    assert.match(lines[0].message, /cannot start/);
    const broken = await server({ client: { app: { log: () => { throw new Error("log down"); } } }, directory: "/p", worktree: "/p" });
    await play(broken);
  } finally {
    process.env.PERISCOPE_BIN = saved;
  }
});

test("hooks called with nothing, or with odd arguments, resolve without throwing", async () => {
  const { lines, client } = logger();
  const hooks = await server({ client, directory: "/p", worktree: "/p" });
  for (const args of [[], [undefined], [null], [{}], [{ event: null }], [7, 8]]) {
    await hooks.event(...args);
    await hooks["tool.execute.before"](...args);
    await hooks["tool.execute.after"](...args);
  }
  assert.deepEqual(lines, []);
});
