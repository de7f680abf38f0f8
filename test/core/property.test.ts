import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  createInitialState,
  createWorkflowStore,
  parseServerMessage,
  reduceWorkflow,
  reduceWorkflowBatch,
  type ServerMessage,
  type WorkflowState,
} from 'flowpulse';
import {
  createEdgeFlowMessage,
  createMetricsMessage,
  createPongMessage,
  createRunStateMessage,
  createSnapshotMessage,
  emptySnapshot,
  RUN_STATES,
  createErrorMessage,
  createLogMessage,
  createNodeStatusMessage,
  createProgressMessage,
  createWorkflowCompleteMessage,
  createWorkflowStartMessage,
  NODE_STATUSES,
} from 'flowpulse/protocol';

const nodeId = fc.constantFrom('a', 'b', 'c', 'd');
const base = fc.record({
  workflowId: fc.constantFrom('123', '123', '123', 'other'),
  executionId: fc.constantFrom('e1', 'e2', 'e3'),
  seq: fc.option(fc.nat(50), { nil: undefined }),
  timestamp: fc.date({ min: new Date(2020, 0, 1), max: new Date(2030, 0, 1), noInvalidDate: true }).map((d) => d.toISOString()),
});

const valid = fc
  .oneof(
    base.chain((b) => fc.uniqueArray(nodeId, { minLength: 1 }).map((order) => createWorkflowStartMessage({ ...b, executionOrder: order }))),
    base.chain((b) =>
      fc
        .tuple(nodeId, fc.constantFrom(...NODE_STATUSES), fc.jsonValue())
        .map(([id, status, result]) => createNodeStatusMessage({ ...b, nodeId: id, status, result })),
    ),
    base.chain((b) => fc.tuple(nodeId, nodeId).map(([s, t]) => createEdgeFlowMessage({ ...b, sourceNodeId: s, targetNodeId: t }))),
    base.chain((b) =>
      fc
        .tuple(fc.nat(10), fc.nat(10), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }))
        .map(([c, t, p]) => createProgressMessage({ ...b, currentStep: c, totalSteps: t, progress: p })),
    ),
    base.chain((b) =>
      fc
        .tuple(fc.string(), fc.constantFrom('info' as const, 'warning' as const, 'error' as const))
        .map(([m, level]) => createLogMessage({ ...b, message: m, level })),
    ),
    base.chain((b) => fc.string().map((e) => createErrorMessage({ ...b, error: e }))),
    base.chain((b) => fc.boolean().map((success) => createWorkflowCompleteMessage({ ...b, success, executionTime: 1 }))),
    // The extensions a flowpulse server adds, and the heartbeat answer.
    base.map((b) => createPongMessage(b.workflowId)),
    base.chain((b) =>
      fc.constantFrom(...RUN_STATES).map((state) => createRunStateMessage({ ...b, state, reason: state === 'cancelled' ? 'stop' : null })),
    ),
    base.chain((b) =>
      fc
        .tuple(
          fc.uniqueArray(nodeId, { minLength: 1 }),
          fc.constantFrom(...NODE_STATUSES),
          fc.double({ noNaN: true, min: 0, max: 100 }),
          fc.option(fc.constantFrom(...RUN_STATES), { nil: null }),
        )
        .map(([order, status, progress, runState]) =>
          createSnapshotMessage({
            ...b,
            snapshot: {
              ...emptySnapshot(b.workflowId),
              execution_id: b.executionId,
              run_state: runState,
              execution_order: order,
              total_nodes: order.length,
              nodes: Object.fromEntries(
                order.map((id) => [id, { status, result: null, error: null, started_at: null, finished_at: null }]),
              ),
              progress,
              logs: [{ level: 'info', message: 'snap', node_id: null, timestamp: b.timestamp }],
            },
          }),
        ),
    ),
    base.map((b) =>
      createMetricsMessage({
        timestamp: b.timestamp,
        metrics: { cpu_percent: 1, rss_mb: 2, heap_used_mb: 3, event_loop_delay_p99_ms: 4, active_executions: 1, connected_clients: 1 },
      }),
    ),
  )
  .map((m) => JSON.stringify(m));

const invalid = fc.oneof(
  fc.string(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  valid.chain((text) =>
    fc
      .tuple(fc.constantFrom('type', 'timestamp', 'seq', 'data', 'status', 'progress', 'node_id', 'level'), fc.jsonValue())
      .map(([key, value]) => {
        const m = JSON.parse(text);
        if (key in m || !m.data) m[key] = value;
        else m.data[key] = value;
        return JSON.stringify(m);
      }),
  ),
);

const limits = { maxLogs: 5, maxErrors: 3 };

function expectInvariants(state: WorkflowState, now: number) {
  for (const node of Object.values(state.nodeStatuses)) expect(NODE_STATUSES).toContain(node.status);
  expect(state.progress).toBeGreaterThanOrEqual(0);
  expect(state.progress).toBeLessThanOrEqual(100);
  expect(state.logs.length).toBeLessThanOrEqual(limits.maxLogs);
  expect(state.errors.length).toBeLessThanOrEqual(limits.maxErrors);
  expect(state.edgeFlows.every((f) => f.expiresAt > now - 3000)).toBe(true);
}

describe('any interleaving of valid and invalid messages', () => {
  it('never throws and keeps the invariants', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(valid, valid, invalid), { maxLength: 60 }), (frames) => {
        let state = createInitialState('123');
        let now = 0;
        for (const frame of frames) {
          const parsed = parseServerMessage(frame);
          if (!parsed.ok) {
            expect(typeof parsed.error.message).toBe('string');
            continue;
          }
          now += 100;
          const before = state;
          state = reduceWorkflow(state, parsed.message, { now, limits });
          expectInvariants(state, now);
          if (parsed.message.type === 'workflow_complete' && state !== before) {
            expect(Object.values(state.nodeStatuses).filter((n) => n.status === 'running')).toEqual([]);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('through the store, as the hook feeds it: no problem reported for valid input, the invariants hold', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(valid, valid, invalid), { maxLength: 60 }), (frames) => {
        const store = createWorkflowStore({ workflowId: '123', batch: 'sync', ...limits });
        for (const frame of frames) {
          const parsed = parseServerMessage(frame);
          if (parsed.ok) store.enqueue(parsed.message);
          else store.report({ code: parsed.error.code, message: parsed.error.message });
          expectInvariants(store.getState(), Date.now());
        }
        expect(store.getState().problems.filter((p) => p.code === 'reducer_error')).toEqual([]);
        store.destroy();
      }),
      { numRuns: 200 },
    );
  });

  it('applying any message twice equals applying it once when it has a seq', () => {
    fc.assert(
      fc.property(fc.array(valid, { maxLength: 30 }), (frames) => {
        let once = createInitialState('123');
        let twice = createInitialState('123');
        for (const frame of frames) {
          const parsed = parseServerMessage(frame);
          if (!parsed.ok || parsed.message.type === 'pong' || parsed.message.seq === undefined) continue;
          once = reduceWorkflow(once, parsed.message, { now: 0 });
          twice = reduceWorkflow(reduceWorkflow(twice, parsed.message, { now: 0 }), parsed.message, { now: 0 });
        }
        expect(twice).toEqual(once);
      }),
      { numRuns: 300 },
    );
  });
});

describe('batching', () => {
  it('reducing a batch equals reducing its messages one by one', () => {
    const limits = { maxLogs: 4, maxErrors: 2 };
    fc.assert(
      fc.property(fc.array(valid, { maxLength: 40 }), fc.nat(40), (frames, cut) => {
        const messages = frames.map((f) => parseServerMessage(f)).flatMap((r) => (r.ok ? [r.message] : [])) as ServerMessage[];
        const oneByOne = messages.reduce((s, m) => reduceWorkflow(s, m, { now: 0, limits }), createInitialState('123'));
        const first = reduceWorkflowBatch(createInitialState('123'), messages.slice(0, cut), { now: 0, limits });
        const batched = reduceWorkflowBatch(first, messages.slice(cut), { now: 0, limits });
        expect(batched).toEqual(oneByOne);
      }),
      { numRuns: 400 },
    );
  });
});
