import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInitialState, createWorkflowStore, reduceWorkflow, type WorkflowState } from 'flowpulse';
import {
  createLogMessage,
  createMetricsMessage,
  createNodeStatusMessage,
  createRunStateMessage,
  createSnapshotMessage,
  createWorkflowCompleteMessage,
  createWorkflowStartMessage,
  parseServerMessage,
  type ServerMessage,
  type SnapshotData,
} from 'flowpulse/protocol';

const ids = (executionId: string, seq?: number) => ({ workflowId: '123', executionId, ...(seq === undefined ? {} : { seq }) });
const run = (messages: ServerMessage[], state: WorkflowState = createInitialState('123')) =>
  messages.reduce((s, m) => reduceWorkflow(s, m, { now: 0 }), state);

const snapshot = (over: Partial<SnapshotData> = {}): SnapshotData => ({
  workflow_id: '123',
  execution_id: 'e1',
  run_state: 'running',
  execution_order: ['a', 'b', 'c'],
  total_nodes: 3,
  nodes: {
    a: {
      status: 'completed',
      result: { n: 1 },
      error: null,
      started_at: '2025-11-13T10:30:00.000000',
      finished_at: '2025-11-13T10:30:02.500000',
    },
    b: { status: 'running', result: null, error: null, started_at: '2025-11-13T10:30:02.600000', finished_at: null },
  },
  current_step: 1,
  total_steps: 3,
  progress: 33.3,
  current_node_id: 'b',
  logs: [{ level: 'info', message: 'a done', node_id: 'a', timestamp: '2025-11-13T10:30:02.500000' }],
  errors: [],
  success: null,
  execution_time: null,
  completion_errors: [],
  ...over,
});

afterEach(() => vi.useRealTimers());

describe('snapshot', () => {
  it('is a valid protocol message', () => {
    expect(parseServerMessage(JSON.stringify(createSnapshotMessage({ seq: 9, snapshot: snapshot() }))).ok).toBe(true);
    expect(
      parseServerMessage(JSON.stringify(createSnapshotMessage({ snapshot: snapshot({ execution_id: null, run_state: null }) }))).ok,
    ).toBe(true);
    const bad = createSnapshotMessage({ snapshot: snapshot() }) as any;
    bad.data.nodes = [];
    expect(parseServerMessage(JSON.stringify(bad))).toMatchObject({ ok: false, error: { path: 'data.nodes' } });
  });

  it('a late joiner gets the whole run at once', () => {
    const s = run([createSnapshotMessage({ seq: 9, snapshot: snapshot() })]);
    expect(s).toMatchObject({ executionId: 'e1', lastSeq: 9, runStatus: 'running', progress: 33.3, currentNodeId: 'b', stale: false });
    expect(s.nodeStatuses.a).toMatchObject({ status: 'completed', result: { n: 1 }, durationMs: 2500 });
    expect(s.nodeStatuses.b?.status).toBe('running');
    expect(s.nodeStatuses.c).toEqual({ status: 'pending' });
    expect(s.logs).toEqual([expect.objectContaining({ message: 'a done', nodeId: 'a' })]);
  });

  it('live messages continue after the snapshot seq; older ones are ignored', () => {
    let s = run([createSnapshotMessage({ seq: 9, snapshot: snapshot() })]);
    const stale = createNodeStatusMessage({ ...ids('e1', 8), nodeId: 'b', status: 'error', error: 'old news' });
    expect(run([stale], s)).toBe(s);
    s = run([createNodeStatusMessage({ ...ids('e1', 10), nodeId: 'b', status: 'completed' })], s);
    expect(s.nodeStatuses.b?.status).toBe('completed');
  });

  it('an older snapshot of the same run is ignored', () => {
    const s = run([createNodeStatusMessage({ ...ids('e1', 20), nodeId: 'a', status: 'running' })]);
    expect(run([createSnapshotMessage({ seq: 15, snapshot: snapshot() })], s)).toBe(s);
  });

  it('replaces a run we had and retires it', () => {
    const s = run([
      createWorkflowStartMessage({ ...ids('old', 1), executionOrder: ['x'] }),
      createSnapshotMessage({ seq: 4, snapshot: snapshot() }),
    ]);
    expect(s.executionId).toBe('e1');
    expect(s.pastExecutionIds).toEqual(['old']);
    expect(s.nodeStatuses.x).toBeUndefined();
  });

  it('a server that lost our running run marks it stale, never spinning', () => {
    const s = run([
      createWorkflowStartMessage({ ...ids('e1', 1), executionOrder: ['a'] }),
      createNodeStatusMessage({ ...ids('e1', 2), nodeId: 'a', status: 'running' }),
      createSnapshotMessage({ snapshot: snapshot({ execution_id: null, run_state: null, nodes: {}, execution_order: [] }) }),
    ]);
    expect(s.stale).toBe(true);
    expect(s.executionId).toBe('e1');
  });

  it('a finished run is not stale when the server forgot it', () => {
    const done = run([
      createWorkflowStartMessage({ ...ids('e1', 1), executionOrder: ['a'] }),
      createWorkflowCompleteMessage({ ...ids('e1', 2), success: true, executionTime: 1 }),
    ]);
    const after = run([createSnapshotMessage({ snapshot: snapshot({ execution_id: null }) })], done);
    expect(after).toMatchObject({ stale: false, runStatus: 'completed', executionId: 'e1', runStartedAt: null });
    expect(after.nodeStatuses).toBe(done.nodeStatuses);
  });

  it('a finished snapshot shows the outcome', () => {
    const s = run([
      createSnapshotMessage({
        seq: 30,
        snapshot: snapshot({
          run_state: 'failed',
          success: false,
          execution_time: 2.5,
          completion_errors: ['boom'],
          errors: [{ error: 'boom', node_id: 'b', timestamp: '2025-11-13T10:30:03.000000' }],
        }),
      }),
    ]);
    expect(s).toMatchObject({ runStatus: 'failed', success: false, executionTime: 2.5, completionErrors: ['boom'] });
    expect(s.errors).toEqual([expect.objectContaining({ message: 'boom', nodeId: 'b' })]);
  });
});

describe('concurrent runs and gaps past the replay buffer', () => {
  const at = (second: number) => `2025-11-13T10:31:${String(second).padStart(2, '0')}.000000`;
  const runSnapshot = (executionId: string, startedSecond: number, over: Partial<SnapshotData> = {}) =>
    snapshot({ execution_id: executionId, started_at: at(startedSecond), logs: [], ...over });
  const line = (executionId: string, seq: number, second = 59) =>
    createLogMessage({ ...ids(executionId, seq), level: 'info', message: `line ${seq}`, timestamp: at(second) });

  it("an older live run's snapshot after the newer one's retires it: its messages never replace the run on screen", () => {
    let s = run([createSnapshotMessage({ seq: 3, snapshot: runSnapshot('newer', 20) })]);
    s = run([createSnapshotMessage({ seq: 8, snapshot: runSnapshot('older', 10) })], s);
    expect(s).toMatchObject({ executionId: 'newer', pastExecutionIds: ['older'] });
    // The newer run ends; the older one talks on, long after.
    s = run([createWorkflowCompleteMessage({ ...ids('newer', 4), success: true, executionTime: 1, timestamp: at(30) })], s);
    s = run([createNodeStatusMessage({ ...ids('older', 9), nodeId: 'a', status: 'completed', timestamp: at(50) })], s);
    expect(s).toMatchObject({ executionId: 'newer', runStatus: 'completed' });
  });

  it("the same run's snapshot keeps the lines shown before its first one, each line once", () => {
    let s = run([createWorkflowStartMessage({ ...ids('e1', 1), executionOrder: ['a'], timestamp: at(10) })]);
    for (let seq = 2; seq <= 6; seq++) s = run([line('e1', seq)], s);
    // Lines 2–6 shown; the server logged 2–12 and its snapshot carries 5–12, with 3 lines before them.
    const newest = [5, 6, 7, 8, 9, 10, 11, 12].map((seq) => ({ level: 'info' as const, message: `line ${seq}`, node_id: null, timestamp: at(59), seq }));
    s = run([createSnapshotMessage({ seq: 14, snapshot: runSnapshot('e1', 10, { logs: newest, dropped_logs: 3 }) })], s);
    expect(s.logs.map((l) => l.message)).toEqual(Array.from({ length: 11 }, (_, i) => `line ${i + 2}`));
    expect(s.droppedLogs).toBe(0);
  });

  it("the same run's snapshot after a gap wider than its lines: the older lines go rather than leave a silent hole", () => {
    let s = run([createWorkflowStartMessage({ ...ids('e1', 1), executionOrder: ['a'], timestamp: at(10) })]);
    for (let seq = 2; seq <= 6; seq++) s = run([line('e1', seq)], s);
    // Lines 2–6 shown; the snapshot carries 20–22 and says 18 came before: 7–19 are missing.
    const newest = [20, 21, 22].map((seq) => ({ level: 'info' as const, message: `line ${seq}`, node_id: null, timestamp: at(59), seq }));
    s = run([createSnapshotMessage({ seq: 23, snapshot: runSnapshot('e1', 10, { logs: newest, dropped_logs: 18 }) })], s);
    expect(s.logs.map((l) => l.message)).toEqual(['line 20', 'line 21', 'line 22']);
    expect(s.droppedLogs).toBe(18);
  });

  it("a peer's snapshot without dropped_logs, or with seq null, keeps what it can", () => {
    let s = run([createWorkflowStartMessage({ ...ids('e1', 1), executionOrder: ['a'], timestamp: at(10) })]);
    for (let seq = 2; seq <= 4; seq++) s = run([line('e1', seq)], s);
    s = { ...s, droppedLogs: 7 }; // lines the client's own bound dropped
    const newest = [{ level: 'info' as const, message: 'line 5', node_id: null, timestamp: at(59), seq: 5 }];
    const merged = run([createSnapshotMessage({ seq: 6, snapshot: runSnapshot('e1', 10, { logs: newest }) })], s);
    expect(merged.logs.map((l) => l.message)).toEqual(['line 2', 'line 3', 'line 4', 'line 5']);
    expect(merged.droppedLogs).toBe(7);
    const noSeq = createSnapshotMessage({ seq: 6, snapshot: runSnapshot('e1', 10, { logs: [{ ...newest[0]!, seq: null }] }) });
    const parsed = parseServerMessage(JSON.stringify(noSeq));
    expect(parsed.ok).toBe(true);
    expect(run([(parsed as { message: ServerMessage }).message], s).logs.map((l) => l.message)).toEqual(['line 5']);
  });

  it("a snapshot's lines past the client's bound are counted as dropped", () => {
    const logs = [1, 2, 3].map((seq) => ({ level: 'info' as const, message: `line ${seq}`, node_id: null, timestamp: at(59), seq }));
    const s = [createSnapshotMessage({ seq: 4, snapshot: runSnapshot('e1', 10, { logs, dropped_logs: 5 }) })].reduce(
      (st, m) => reduceWorkflow(st, m, { now: 0, limits: { maxLogs: 2 } }),
      createInitialState('123'),
    );
    expect(s.logs.map((l) => l.message)).toEqual(['line 2', 'line 3']);
    expect(s.droppedLogs).toBe(6);
  });
});

describe('run_state', () => {
  it('paused, resumed and cancelled are shown; cancel survives the failed completion', () => {
    let s = run([createWorkflowStartMessage({ ...ids('e1', 1), executionOrder: ['a'] })]);
    s = run([createRunStateMessage({ ...ids('e1', 2), state: 'paused' })], s);
    expect(s.runStatus).toBe('paused');
    s = run([createRunStateMessage({ ...ids('e1', 3), state: 'running' })], s);
    expect(s.runStatus).toBe('running');
    s = run([createRunStateMessage({ ...ids('e1', 4), state: 'cancelled', reason: 'cancelled by user' })], s);
    s = run([createWorkflowCompleteMessage({ ...ids('e1', 5), success: false, executionTime: 1, errors: ['cancelled by user'] })], s);
    expect(s).toMatchObject({ runStatus: 'cancelled', cancelReason: 'cancelled by user', success: false });
  });
});

describe('metrics', () => {
  it('keeps a bounded series of samples', () => {
    let s = createInitialState('123');
    for (let i = 0; i < 5; i++) {
      const m = createMetricsMessage({
        metrics: { cpu_percent: i, rss_mb: 50, heap_used_mb: 20, event_loop_delay_p99_ms: 1, active_executions: 1, connected_clients: 2 },
      });
      expect(parseServerMessage(JSON.stringify(m)).ok).toBe(true);
      s = reduceWorkflow(s, m, { now: i, limits: { maxMetrics: 3 } });
    }
    expect(s.metrics.map((m) => m.cpu_percent)).toEqual([2, 3, 4]);
    // Server health is not about one run: a new run keeps the series.
    expect(run([createWorkflowStartMessage({ ...ids('e1', 1), executionOrder: ['a'] })], s).metrics).toBe(s.metrics);
  });
});

describe('stalled-node watchdog', () => {
  const open = { status: 'open' as const, attempt: 0, closeCode: null, closeReason: null, why: null, nextRetryAt: null };

  it('flags a running node with no event, and clears it when events resume', () => {
    vi.useFakeTimers();
    const store = createWorkflowStore({ workflowId: '123', batch: 'sync', stalledAfterMs: 10_000 });
    store.setConnection(open);
    store.enqueue(createWorkflowStartMessage({ ...ids('e1'), executionOrder: ['a', 'b'] }));
    store.enqueue(createNodeStatusMessage({ ...ids('e1'), nodeId: 'a', status: 'running' }));
    vi.advanceTimersByTime(6_000);
    store.enqueue(createNodeStatusMessage({ ...ids('e1'), nodeId: 'b', status: 'running' }));
    vi.advanceTimersByTime(4_000);
    expect(store.getState().stalledNodeIds).toEqual(['a']);
    store.enqueue(createLogMessage({ ...ids('e1'), message: 'still here', nodeId: 'a' }));
    expect(store.getState().stalledNodeIds).toEqual([]);
    vi.advanceTimersByTime(6_000);
    expect(store.getState().stalledNodeIds).toEqual(['b']);
    store.enqueue(createNodeStatusMessage({ ...ids('e1'), nodeId: 'b', status: 'completed' }));
    expect(store.getState().stalledNodeIds).toEqual([]);
    store.destroy();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a disconnected client is not stalled: that is shown as disconnected', () => {
    vi.useFakeTimers();
    const store = createWorkflowStore({ workflowId: '123', batch: 'sync', stalledAfterMs: 1_000 });
    store.setConnection(open);
    store.enqueue(createNodeStatusMessage({ ...ids('e1'), nodeId: 'a', status: 'running' }));
    store.setConnection({ ...open, status: 'reconnecting', attempt: 1 });
    vi.advanceTimersByTime(5_000);
    expect(store.getState().stalledNodeIds).toEqual([]);
    store.setConnection(open);
    vi.advanceTimersByTime(999);
    expect(store.getState().stalledNodeIds).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(store.getState().stalledNodeIds).toEqual(['a']);
    store.destroy();
  });

  it('0 turns it off', () => {
    vi.useFakeTimers();
    const store = createWorkflowStore({ workflowId: '123', batch: 'sync', stalledAfterMs: 0 });
    store.setConnection(open);
    store.enqueue(createNodeStatusMessage({ ...ids('e1'), nodeId: 'a', status: 'running' }));
    expect(vi.getTimerCount()).toBe(0);
  });
});
