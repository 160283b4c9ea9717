// The field readers both forwarders rebuild envelopes with, and their bounded memory: a value is
// kept only when it has the expected type, so nothing else can ride along into an envelope.

/** How many ids the deduplication remembers before it forgets the oldest. */
export const MEMORY = 4096;

/** @param {unknown} v @returns {v is string} */
export const isText = (v) => typeof v === "string" && v.length > 0;
/** @param {unknown} v @returns {v is number} */
export const isNumber = (v) => typeof v === "number" && Number.isFinite(v);
export const text = (/** @type {unknown} */ v) => (isText(v) ? v : undefined);
export const number = (/** @type {unknown} */ v) => (isNumber(v) ? v : undefined);
export const count = (/** @type {unknown} */ v) => (isNumber(v) ? v : 0);

/** The five token counts, as OpenCode reports them in both versions. */
export function tokens(/** @type {any} */ t) {
  if (!t || typeof t !== "object") return undefined;
  return {
    input: count(t.input),
    output: count(t.output),
    reasoning: count(t.reasoning),
    cache: { read: count(t.cache?.read), write: count(t.cache?.write) },
  };
}

/** Adds a key to a bounded set; false when it was there already. @param {Set<string>} memory @param {string} key */
export function once(memory, key) {
  if (memory.has(key)) return false;
  if (memory.size >= MEMORY) memory.delete(memory.values().next().value ?? "");
  memory.add(key);
  return true;
}

/** Sets a key of a bounded map, as its newest entry. @template V @param {Map<string, V>} memory @param {string} key @param {V} value */
export function remember(memory, key, value) {
  memory.delete(key);
  if (memory.size >= MEMORY) memory.delete(memory.keys().next().value ?? "");
  memory.set(key, value);
}
