import type { ParseResult, ProtocolError, ServerMessage } from './types';

/**
 * The `status` values of `node_status`.
 *
 * @example
 * NODE_STATUSES.includes(value); // a status the canvas knows
 */
export const NODE_STATUSES = ['pending', 'running', 'completed', 'error'] as const;
/**
 * The `level` values of `log`.
 *
 * @example
 * <select>{LOG_LEVELS.map((l) => <option key={l}>{l}</option>)}</select>
 */
export const LOG_LEVELS = ['info', 'warning', 'error'] as const;

/**
 * The `state` values of `run_state` (an extension).
 *
 * @example
 * RUN_STATES.includes(data.state);
 */
export const RUN_STATES = ['running', 'paused', 'cancelled', 'completed', 'failed'] as const;

type Test = (v: any) => boolean;
/** Ids may come as integers (a Python route's `workflow_id: int`, database keys): read as their text. */
const isId: Test = (v) => typeof v === 'string' || Number.isSafeInteger(v);
const idText = (v: unknown) => (typeof v === 'number' ? String(v) : v);
const isOptionalId: Test = (v) => v == null || isId(v);
/** The envelope's `seq`. */
const isOptionalSeq: Test = (v) => v === undefined || (Number.isSafeInteger(v) && v >= 0);
/** Snapshot log and error entries with their `node_id` as text, copied only when one is a number. */
const entriesWithIdText = (list: Record<string, unknown>[]) =>
  list.some((e) => typeof e.node_id === 'number') ? list.map((e) => ({ ...e, node_id: idText(e.node_id) })) : list;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString: Test = (v) => typeof v === 'string';
const isOptionalString: Test = (v) => v == null || isString(v);
const arrayOf =
  (test: Test): Test =>
  (v) =>
    Array.isArray(v) && v.every(test);
const oneOf =
  (values: readonly string[]): Test =>
  (v) =>
    values.includes(v);

/** Field kinds: the check, what an error message says was expected, and how a valid value is normalized. */
const KINDS: Record<string, [Test, string, ((v: any) => unknown)?]> = {
  string: [isString, 'string'],
  id: [isId, 'a string or a safe integer', idText],
  ids: [arrayOf(isId), 'an array of strings or safe integers', (v: unknown[]) => (v?.some((x) => typeof x === 'number') ? v.map(idText) : v)],
  // `workflow_complete.errors`: a backend's `errors=None` means none.
  list: [Array.isArray, 'array', (v) => v ?? []],
  // Number.isFinite is false for anything but a finite number (unlike the global isFinite, it does not coerce).
  number: [Number.isFinite, 'number'],
  boolean: [(v) => typeof v === 'boolean', 'boolean'],
  array: [Array.isArray, 'array'],
  status: [oneOf(NODE_STATUSES), `one of ${NODE_STATUSES.join(', ')}`],
  level: [oneOf(LOG_LEVELS), `one of ${LOG_LEVELS.join(', ')}`],
  runState: [oneOf(RUN_STATES), `one of ${RUN_STATES.join(', ')}`],
  // Snapshot parts are checked entry by entry: the reducer reads every one of them.
  nodes: [
    (v) =>
      isObject(v) &&
      Object.values(v).every(
        (n) =>
          isObject(n) && oneOf(NODE_STATUSES)(n.status) && [n.error, n.result_ref, n.started_at, n.finished_at].every(isOptionalString),
      ),
    'an object of { status, error?, … } entries',
  ],
  logEntries: [
    arrayOf((l) => isObject(l) && isString(l.message) && oneOf(LOG_LEVELS)(l.level) && isOptionalId(l.node_id) && (l.seq === null || isOptionalSeq(l.seq))),
    'an array of { level, message, … } entries',
    entriesWithIdText,
  ],
  errorEntries: [arrayOf((e) => isObject(e) && isString(e.error) && isOptionalId(e.node_id)), 'an array of { error, … } entries', entriesWithIdText],
};

/**
 * The spec's `data` fields per message type and their kind; a trailing `?`
 * means the field may also be `null` or absent. Anything not listed (`result`,
 * `data`, extensions) is kept untouched.
 */
const IDS = { workflow_id: 'id', execution_id: 'id' };
const DATA_FIELDS: Record<string, Record<string, string>> = {
  run_state: { ...IDS, state: 'runState', reason: 'string?' },
  snapshot: {
    workflow_id: 'id',
    execution_id: 'id?',
    run_state: 'runState?',
    execution_order: 'ids',
    nodes: 'nodes',
    progress: 'number',
    logs: 'logEntries',
    errors: 'errorEntries',
    // Optional for a lenient peer, but never of another type: the reducer copies them as they come.
    total_nodes: 'number?',
    current_step: 'number?',
    total_steps: 'number?',
    current_node_id: 'id?',
    success: 'boolean?',
    execution_time: 'number?',
    completion_errors: 'array?',
    cancel_reason: 'string?',
    dropped_logs: 'number?',
    started_at: 'string?',
  },
  metrics: {
    cpu_percent: 'number',
    rss_mb: 'number',
    heap_used_mb: 'number',
    event_loop_delay_p99_ms: 'number',
    active_executions: 'number',
    connected_clients: 'number',
  },
  workflow_start: { ...IDS, execution_order: 'ids', total_nodes: 'number' },
  workflow_complete: { ...IDS, success: 'boolean', execution_time: 'number', errors: 'list?' },
  node_status: { ...IDS, node_id: 'id', status: 'status', error: 'string?', progress: 'number?' },
  edge_flow: { ...IDS, source_node_id: 'id', target_node_id: 'id', edge_id: 'id?' },
  progress: { ...IDS, current_step: 'number', total_steps: 'number', progress: 'number', current_node_id: 'id?' },
  log: { ...IDS, level: 'level', message: 'string', node_id: 'id?' },
  error: { ...IDS, error: 'string', node_id: 'id?' },
};

const ISO_TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Milliseconds since the epoch for an ISO-8601 timestamp, or `undefined`.
 * Accepts the seed's zone-less microsecond form (read as local time, like
 * Python's `datetime.now().isoformat()` meant it) and zoned forms.
 *
 * @example
 * parseTimestamp('2025-11-13T10:30:00.123456');      // local time, to the millisecond
 * parseTimestamp('2025-11-13T10:30:00.123456+00:00'); // 1763029800123
 */
export function parseTimestamp(value: string): number | undefined {
  const m = ISO_TIMESTAMP.exec(value);
  if (!m) return undefined;
  const fraction = m[3] ? '.' + (m[3] + '00').slice(0, 3) : '';
  const ms = Date.parse(`${m[1]}T${m[2]}${fraction}${m[4] ?? ''}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Checks an already-decoded value against the protocol. Never throws.
 *
 * @example
 * const r = validateServerMessage(JSON.parse(text));
 * if (!r.ok) report(r.error.message);
 */
export function validateServerMessage(value: unknown): ParseResult {
  const fail = (code: ProtocolError['code'], message: string, path?: string, type?: string): ParseResult => ({
    ok: false,
    error: { code, message, raw: value, path, type },
  });
  if (!isObject(value)) return fail('not_an_object', 'message must be a JSON object');
  const type = value.type;
  if (typeof type !== 'string') return fail('invalid_field', 'message.type must be a string', 'type');
  // Every field error names the field by its path in the message and says what was expected.
  const mustBe = (path: string, expected: string) => fail('invalid_field', `${type}.${path} must be ${expected}`, path, type);
  if (type === 'pong') {
    return isId(value.workflow_id)
      ? { ok: true, message: { ...value, workflow_id: idText(value.workflow_id) } as unknown as ServerMessage }
      : mustBe('workflow_id', 'a string or a safe integer');
  }
  // Own keys only: `toString` or `__proto__` is no message type.
  const fields = Object.hasOwn(DATA_FIELDS, type) ? DATA_FIELDS[type] : undefined;
  if (!fields) return fail('unknown_type', `unknown message type "${type}"`, 'type', type);
  if (typeof value.timestamp !== 'string' || parseTimestamp(value.timestamp) === undefined) {
    return mustBe('timestamp', 'an ISO-8601 date-time string');
  }
  if (!isOptionalSeq(value.seq)) return mustBe('seq', 'a non-negative integer');
  const data = value.data;
  if (!isObject(data)) return mustBe('data', 'an object');
  let fixed: Record<string, unknown> | undefined;
  for (const key in fields) {
    const kind = fields[key]!;
    const nullable = kind.endsWith('?');
    const [test, expected, normalize] = KINDS[kind.replace('?', '')]!;
    const v = data[key];
    if (!(nullable && v == null) && !test(v)) {
      return mustBe(`data.${key}`, expected + (nullable ? ' or null' : ''));
    }
    const n = normalize ? normalize(v) : v;
    if (n !== v) (fixed ??= { ...data })[key] = n;
  }
  // The caller's object is left as it came; a normalized copy is returned.
  return { ok: true, message: (fixed ? { ...value, data: fixed } : value) as unknown as ServerMessage };
}

/**
 * Parses one text frame from the server: JSON decode plus shape validation.
 * Never throws; unknown extra fields are kept. Python's `NaN` and
 * `Infinity` are read as `null`, integer ids as their text.
 *
 * @example
 * const result = parseServerMessage(event.data);
 * if (result.ok) store.enqueue(result.message);
 * else onError(result.error);
 */
export function parseServerMessage(raw: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (e) {
    try {
      // Python's json.dumps writes NaN and ±Infinity (allow_nan is on by default): read them as null,
      // leaving the same words inside strings alone.
      value = JSON.parse(raw.replace(/"(?:[^"\\]|\\.)*"|-?Infinity|NaN/g, (m) => (m[0] === '"' ? m : 'null')));
    } catch {
      return { ok: false, error: { code: 'invalid_json', message: `not valid JSON: ${(e as Error).message}`, raw } };
    }
  }
  return validateServerMessage(value);
}
