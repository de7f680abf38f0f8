import { describe, expect, it } from 'vitest';
import Ajv from 'ajv';
import {
  createEdgeFlowMessage,
  createErrorMessage,
  createLogMessage,
  createNodeStatusMessage,
  createPongMessage,
  createProgressMessage,
  createWorkflowCompleteMessage,
  createSnapshotMessage,
  createWorkflowStartMessage,
  emptySnapshot,
  isoTimestamp,
  messagesSchema,
  parseServerMessage,
  parseTimestamp,
  validateServerMessage,
  workflowSocketPath,
} from 'flowpulse/protocol';
import { specMessages, specText } from '../fixtures';

const validateSchema = new Ajv({ allErrors: true, allowUnionTypes: true }).compile(messagesSchema);

describe('spec example messages', () => {
  const names = Object.keys(specMessages);

  it('has all ten spec examples as fixtures', () => {
    expect(names.sort()).toEqual([
      'edge_flow',
      'error',
      'log',
      'node_status_completed',
      'node_status_error',
      'node_status_running',
      'pong',
      'progress',
      'workflow_complete',
      'workflow_start',
    ]);
  });

  it.each(names)('%s parses and keeps every field', (name) => {
    const result = parseServerMessage(specText(name));
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.message).toEqual(specMessages[name]);
  });

  it.each(names)('%s validates against the JSON Schema', (name) => {
    expect(validateSchema(specMessages[name]), JSON.stringify(validateSchema.errors)).toBe(true);
  });
});

describe('factories produce exactly the spec shapes', () => {
  const ids = { workflowId: '123', executionId: 'uuid-string', timestamp: '2025-11-13T10:30:02.123456' };
  const cases: [string, unknown][] = [
    [
      'workflow_start',
      createWorkflowStartMessage({ ...ids, timestamp: '2025-11-13T10:30:00.123456', executionOrder: ['node1', 'node2', 'node3'] }),
    ],
    ['node_status_running', createNodeStatusMessage({ ...ids, nodeId: 'node1', status: 'running' })],
    ['node_status_completed', createNodeStatusMessage({ ...ids, nodeId: 'node1', status: 'completed', result: { output: 'ok' } })],
    ['node_status_error', createNodeStatusMessage({ ...ids, nodeId: 'node1', status: 'error', error: 'error message' })],
    ['edge_flow', createEdgeFlowMessage({ ...ids, timestamp: '2025-11-13T10:30:02.456789', sourceNodeId: 'node1', targetNodeId: 'node2' })],
    ['progress', createProgressMessage({ ...ids, currentStep: 2, totalSteps: 5, currentNodeId: 'node2' })],
    ['log', createLogMessage({ ...ids, message: 'log message' })],
    ['error', createErrorMessage({ ...ids, error: 'error message', nodeId: 'node1' })],
    [
      'workflow_complete',
      createWorkflowCompleteMessage({ ...ids, timestamp: '2025-11-13T10:30:05.123456', success: true, executionTime: 5.23 }),
    ],
    ['pong', createPongMessage('123')],
  ];
  it.each(cases)('%s', (name, made) => {
    expect(made).toEqual(specMessages[name]);
    expect(JSON.stringify(made)).toBe(JSON.stringify(specMessages[name]));
  });

  it('adds seq only when given and keeps it valid', () => {
    const m = createLogMessage({ ...ids, message: 'x', seq: 7, nodeId: 'n1' });
    expect(m.seq).toBe(7);
    expect(m.data.node_id).toBe('n1');
    expect(validateSchema(m)).toBe(true);
    expect(parseServerMessage(JSON.stringify(m)).ok).toBe(true);
  });

  it('pong serializes to exactly the spec text', () => {
    expect(JSON.stringify(createPongMessage('abc'))).toBe('{"type":"pong","workflow_id":"abc"}');
  });

  it('default timestamps are the seed zone-less microsecond form', () => {
    const m = createProgressMessage({ workflowId: 'w', executionId: 'e', currentStep: 0, totalSteps: 0 });
    expect(m.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}$/);
    expect(m.data.progress).toBe(0);
    expect(isoTimestamp(new Date(2025, 10, 13, 10, 30, 0, 123))).toBe('2025-11-13T10:30:00.123000');
  });

  it('node_status can carry result_ref (the large-result extension), valid for parser and schema', () => {
    const m = createNodeStatusMessage({ ...ids, nodeId: 'big', status: 'completed', resultRef: '/api/r/big' });
    expect(m.data).toMatchObject({ result: null, result_ref: '/api/r/big' });
    expect(validateServerMessage(m).ok).toBe(true);
    expect(validateSchema(m)).toBe(true);
    expect('result_ref' in createNodeStatusMessage({ ...ids, nodeId: 'a', status: 'running' }).data).toBe(false);
  });
});

describe('timestamps', () => {
  it('reads the seed zone-less microsecond form as local time', () => {
    expect(parseTimestamp('2025-11-13T10:30:00.123456')).toBe(new Date(2025, 10, 13, 10, 30, 0, 123).getTime());
  });
  it('reads zoned forms', () => {
    expect(parseTimestamp('2025-11-13T10:30:00.123456+00:00')).toBe(Date.UTC(2025, 10, 13, 10, 30, 0, 123));
    expect(parseTimestamp('2025-11-13T10:30:00Z')).toBe(Date.UTC(2025, 10, 13, 10, 30, 0));
    expect(parseTimestamp('2025-11-13T12:30:00.5+0200')).toBe(Date.UTC(2025, 10, 13, 10, 30, 0, 500));
  });
  it('rejects what is not a date-time', () => {
    expect(parseTimestamp('yesterday')).toBeUndefined();
    expect(parseTimestamp('2025-13-45T99:99:99')).toBeUndefined();
  });
});

describe('bad input is reported, never thrown', () => {
  const base = specMessages.node_status_running;
  const bad = (patch: (m: any) => void) => {
    const m = structuredClone(base);
    patch(m);
    return JSON.stringify(m);
  };

  it('malformed JSON', () => {
    const r = parseServerMessage('{"type": "node_status", ');
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_json' } });
  });
  it('non-object JSON', () => {
    expect(parseServerMessage('[1,2]')).toMatchObject({ ok: false, error: { code: 'not_an_object' } });
    expect(parseServerMessage('null')).toMatchObject({ ok: false, error: { code: 'not_an_object' } });
  });
  it('unknown type, named as such', () => {
    const r = parseServerMessage(bad((m) => (m.type = 'node_exploded')));
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown_type', type: 'node_exploded' } });
    if (!r.ok) expect(r.error.message).toContain('node_exploded');
  });
  it.each([
    ['missing status', (m: any) => delete m.data.status, 'data.status'],
    ['status outside the enum', (m: any) => (m.data.status = 'done'), 'data.status'],
    ['node_id a fraction', (m: any) => (m.data.node_id = 1.5), 'data.node_id'],
    ['node_id an object', (m: any) => (m.data.node_id = { id: 1 }), 'data.node_id'],
    ['missing execution_id', (m: any) => delete m.data.execution_id, 'data.execution_id'],
    ['data not an object', (m: any) => (m.data = 'x'), 'data'],
    ['bad timestamp', (m: any) => (m.timestamp = 'now'), 'timestamp'],
    ['missing timestamp', (m: any) => delete m.timestamp, 'timestamp'],
    ['negative seq', (m: any) => (m.seq = -1), 'seq'],
    ['fractional seq', (m: any) => (m.seq = 1.5), 'seq'],
    ['type not a string', (m: any) => (m.type = 3), 'type'],
  ])('%s', (_, patch, path) => {
    const r = parseServerMessage(bad(patch));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('invalid_field');
      expect(r.error.path).toBe(path);
      expect(r.error.message).toMatch(/must be/);
    }
  });
  it('reads integer ids (a Python route typed `int`, database keys) as their text, as the schema allows', () => {
    const sent = {
      type: 'workflow_start',
      timestamp: '2025-11-13T10:30:00.123456',
      data: { workflow_id: 42, execution_id: 'e1', execution_order: [1, 2], total_nodes: 2 },
    };
    expect(validateSchema(sent)).toBe(true);
    const r = validateServerMessage(sent);
    expect(r).toMatchObject({ ok: true, message: { data: { workflow_id: '42', execution_order: ['1', '2'] } } });
    expect(sent.data.workflow_id).toBe(42); // the caller's object is left as it came
    const status = parseServerMessage(
      '{"type":"node_status","timestamp":"2025-11-13T10:30:01","data":{"workflow_id":42,"execution_id":"e1","node_id":1,"status":"running"}}',
    );
    expect(status).toMatchObject({ ok: true, message: { data: { workflow_id: '42', node_id: '1' } } });
    expect(parseServerMessage('{"type":"pong","workflow_id":42}')).toEqual({ ok: true, message: { type: 'pong', workflow_id: '42' } });
  });
  it('refuses integer ids past 2^53 (they arrive rounded: send them as strings), as the schema does', () => {
    const m = structuredClone(specMessages.node_status_running) as any;
    m.data.node_id = 2 ** 53 + 2;
    expect(validateServerMessage(m)).toMatchObject({ ok: false, error: { path: 'data.node_id' } });
    expect(validateSchema(m)).toBe(false);
  });
  it("reads a snapshot's log and error node ids as text too, and refuses other kinds of node_id there", () => {
    const m = createSnapshotMessage({ snapshot: { ...emptySnapshot('123'), execution_id: 'e1', run_state: 'running' } }) as any;
    m.data.logs = [{ level: 'info', message: 'x', node_id: 7, timestamp: '2026-01-01T00:00:00Z' }];
    m.data.errors = [{ error: 'e', node_id: 7, timestamp: '2026-01-01T00:00:00Z' }];
    expect(validateSchema(m)).toBe(true);
    const r = validateServerMessage(m);
    expect(r).toMatchObject({ ok: true, message: { data: { logs: [{ node_id: '7' }], errors: [{ node_id: '7' }] } } });
    expect(m.data.logs[0].node_id).toBe(7);
    m.data.errors = [{ error: 'e', node_id: { id: 7 } }];
    expect(validateServerMessage(m)).toMatchObject({ ok: false, error: { path: 'data.errors' } });
    expect(validateSchema(m)).toBe(false);
  });
  it("reads Python's NaN and Infinity (json.dumps allows them) as null, keeping the message", () => {
    const text =
      '{"type":"node_status","timestamp":"2025-11-13T10:30:01","data":{"workflow_id":"1","execution_id":"e","node_id":"stats","status":"completed","result":{"mean":NaN,"max":Infinity,"min":-Infinity,"note":"NaN stays text"}}}';
    const r = parseServerMessage(text);
    expect(r).toMatchObject({ ok: true, message: { data: { result: { mean: null, max: null, min: null, note: 'NaN stays text' } } } });
    expect(parseServerMessage('{"type": NaN}')).toMatchObject({ ok: false, error: { code: 'invalid_field', path: 'type' } });
    expect(parseServerMessage('{"a": NaNa}')).toMatchObject({ ok: false, error: { code: 'invalid_json' } });
  });
  it('takes a workflow_complete whose errors are null (Python errors=None) as no errors', () => {
    const m = structuredClone(specMessages.workflow_complete) as any;
    m.data.errors = null;
    expect(validateSchema(m)).toBe(true);
    expect(validateServerMessage(m)).toMatchObject({ ok: true, message: { data: { errors: [] } } });
  });
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])('%s is no message type', (type) => {
    const r = parseServerMessage(JSON.stringify({ type, timestamp: '2025-11-13T10:30:00', data: {} }));
    expect(r).toMatchObject({ ok: false, error: { code: 'unknown_type', type } });
  });
  it.each([
    ['dropped_logs', '3'],
    ['total_nodes', '5'],
    ['current_step', null, true],
    ['success', 'yes'],
    ['execution_time', '1.5'],
    ['completion_errors', 'none'],
    ['cancel_reason', 7],
    ['started_at', 0],
    ['current_node_id', true],
  ])('a snapshot whose %s is %j is rejected as the schema rejects it', (field, value, nullable = false) => {
    const m = createSnapshotMessage({ snapshot: { ...emptySnapshot('123'), execution_id: 'e1', run_state: 'running' } });
    (m.data as Record<string, unknown>)[field] = value;
    const r = validateServerMessage(m);
    // null is how a lenient peer leaves a field out; the reducer falls back for it.
    expect(r.ok).toBe(nullable);
    if (!r.ok) expect(r.error.path).toBe(`data.${field}`);
    if (!nullable) expect(validateSchema(m)).toBe(false);
  });
  it.each([
    ['error', 3],
    ['result_ref', {}],
    ['started_at', 1],
  ])('a snapshot node whose %s is %j is rejected', (field, value) => {
    const m = createSnapshotMessage({ snapshot: { ...emptySnapshot('123'), execution_id: 'e1', run_state: 'running' } });
    m.data.nodes = { a: { status: 'completed', result: 1, error: null, started_at: null, finished_at: null, [field]: value } };
    expect(validateServerMessage(m)).toMatchObject({ ok: false, error: { path: 'data.nodes' } });
    expect(validateSchema(m)).toBe(false);
  });
  it('log level outside the enum', () => {
    const m = structuredClone(specMessages.log);
    m.data.level = 'debug';
    const r = validateServerMessage(m);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toBe('log.data.level must be one of info, warning, error');
    expect(validateSchema(m)).toBe(false);
  });
  it('progress must be a finite number', () => {
    const m = structuredClone(specMessages.progress);
    m.data.progress = '40';
    expect(validateServerMessage(m).ok).toBe(false);
    expect(validateSchema(m)).toBe(false);
  });
  it('pong without workflow_id', () => {
    expect(validateServerMessage({ type: 'pong' })).toMatchObject({ ok: false, error: { path: 'workflow_id' } });
  });
  it('keeps unknown extra fields', () => {
    const m = { ...structuredClone(specMessages.edge_flow), trace: 'abc' };
    m.data.weight = 3;
    const r = validateServerMessage(m);
    expect(r.ok && r.message).toMatchObject({ trace: 'abc', data: { weight: 3 } });
  });
  it('accepts a minimal backend that omits nullable fields', () => {
    const r = validateServerMessage({
      type: 'node_status',
      timestamp: '2025-11-13 10:30:02',
      data: { workflow_id: '1', execution_id: 'e', node_id: 'a', status: 'completed' },
    });
    expect(r.ok).toBe(true);
  });
});

describe('paths', () => {
  it('builds the spec endpoint path', () => {
    expect(workflowSocketPath('123')).toBe('/api/ws/workflow/123');
    expect(workflowSocketPath('a b/c')).toBe('/api/ws/workflow/a%20b%2Fc');
  });
});
