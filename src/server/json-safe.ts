/**
 * The JSON text of a value, safe to parse back into the copy a record stores
 * and clients get: what an executor returned. `undefined` becomes `null`;
 * values JSON cannot hold (BigInt, cycles) become a string saying so,
 * because one odd result must not break the broadcast of a whole run. Text,
 * not the copy, so its size can be judged before the copy is made.
 *
 * @example
 * JSON.parse(toJsonText({ at: new Date(0) })); // { at: '1970-01-01T00:00:00.000Z' }
 * toJsonText(undefined); // 'null'
 */
export function toJsonText(value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (e) {
    return JSON.stringify(`[unserializable result: ${errorMessage(e)}]`);
  }
}

/**
 * The value itself if its JSON fits in `maxChars`, else a small stand-in
 * with a preview, so that `edge_flow` messages stay small.
 *
 * @example
 * truncateForWire('x'.repeat(100), JSON.stringify('x'.repeat(100)), 10);
 * // { truncated: true, size: 102, preview: '"xxxxxxxxx' }
 * @default preview length min(maxChars, 200)
 */
export function truncateForWire(value: unknown, json: string, maxChars: number): unknown {
  if (json.length <= maxChars) return value;
  return { truncated: true, size: json.length, preview: json.slice(0, Math.min(maxChars, 200)) };
}

/**
 * An error's message: `Error.message`, or the thrown value as text.
 *
 * @example
 * errorMessage(new Error('boom')); // 'boom'
 * errorMessage('plain'); // 'plain'
 */
export function errorMessage(e: unknown): string {
  // Whatever a node throws (a getter that throws, a null-prototype object holding a BigInt),
  // reading it must not throw in turn: that would leave the run running forever.
  try {
    if (e instanceof Error) return String(e.message || e.name);
    if (typeof e === 'string') return e;
    return JSON.stringify(e) ?? String(e);
  } catch {
    try {
      return String(e);
    } catch {
      return `[unprintable ${typeof e}]`;
    }
  }
}

/**
 * The text itself if it fits in `maxChars`, else its start and a note of how
 * much was cut, so that one runaway log line cannot fill the replay buffer
 * and the execution record on its own.
 *
 * @example
 * clipText('abcdef', 3); // 'abc… [3 more characters]'
 */
export function clipText(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}… [${text.length - maxChars} more characters]`;
}

/**
 * Defines the key even when it is `__proto__`, which plain assignment would
 * take for the object's prototype.
 *
 * @example
 * setOwn(nodes, '__proto__', { status: 'pending' });
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * How deeply a JSON text nests arrays and objects, and how many values it
 * holds (containers, their members, scalars), without parsing it: a body
 * nested thousands deep parses, but overflows the stack of whatever copies or
 * serializes it next, and one of a million empty objects costs some 30 times
 * its size once parsed. Exact for valid JSON; for any other text a bound that
 * `JSON.parse` then refuses anyway. `containers` counts the objects and
 * arrays among the values.
 *
 * @example
 * jsonShape('{"a":[1,[2]],"b":{}}'); // { depth: 3, values: 6, containers: 4 }
 */
export function jsonShape(text: string): { depth: number; values: number; containers: number } {
  let depth = 0;
  let max = 0;
  let containers = 0;
  // The root, then one per comma and one per non-empty container (its first member).
  let values = 1;
  let opened = false;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 32 || c === 10 || c === 13 || c === 9) continue;
    if (opened) {
      opened = false;
      if (c !== 125 && c !== 93) values++;
    }
    if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      containers++;
      max = Math.max(max, ++depth);
      opened = true;
    } else if (c === 125 || c === 93) depth--;
    else if (c === 44) values++;
  }
  return { depth: max, values, containers };
}

/**
 * Bytes charged per object or array on top of its text when estimating what
 * a parsed value holds in memory: an empty object is 3 bytes of JSON and some
 * 60 bytes of heap, so JSON length alone undercounts object-heavy data many times over.
 */
const CONTAINER_OVERHEAD_BYTES = 64;

/**
 * Bytes charged per scalar (number, string, boolean, null) on top of its
 * text: the slot that holds it. Charging scalars as much as objects made an
 * array of 200,000 zeros (400 KB of JSON, some 1.6 MB of heap) cost 13 MB.
 */
const SCALAR_OVERHEAD_BYTES = 8;

/**
 * An estimate of the memory a value parsed from `json` holds: its length plus
 * 64 bytes per object or array and 8 per other value.
 *
 * @example
 * jsonMemoryCost('[{},{}]'); // 7 + 3 * 64
 */
export function jsonMemoryCost(json: string): number {
  const { values, containers } = jsonShape(json);
  return Buffer.byteLength(json) + containers * CONTAINER_OVERHEAD_BYTES + (values - containers) * SCALAR_OVERHEAD_BYTES;
}

/**
 * Cuts a WebSocket close reason to the 123 bytes of UTF-8 a close frame can
 * carry (`ws` throws past that), on a character boundary.
 *
 * @example
 * closeReason('é'.repeat(80)); // 61 characters, 122 bytes
 */
export function closeReason(text: string): string {
  let out = text.slice(0, 123);
  while (Buffer.byteLength(out) > 123) out = out.slice(0, -1);
  return out;
}
