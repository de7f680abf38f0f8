import { describe, expect, it } from 'vitest';
import { createInitialState, reduceWorkflow, reduceWorkflowBatch, expireEdgeFlows, DEFAULT_LIMITS, type WorkflowState } from 'flowpulse';
import {
  createEdgeFlowMessage,
  createErrorMessage,
  createLogMessage,
  createNodeStatusMessage,
  createProgressMessage,
  createSnapshotMessage,
  createWorkflowCompleteMessage,
  createWorkflowStartMessage,
  emptySnapshot,
  type ServerMessage,
} from 'flowpulse/protocol';
import { specMessages } from '../fixtures';

const run = (messages: ServerMessage[], state: WorkflowState = createInitialState('123'), now = 0) =>
  messages.reduce((s, m) => reduceWorkflow(s, m, { now }), state);

const ids = (executionId: string, seq?: number) => ({ workflowId: '123', executionId, ...(seq === undefined ? {} : { seq }) });
const at = (seconds: number) => `2025-11-13T10:30:${String(seconds).padStart(2, '0')}.000000`;

describe('the spec example messages', () => {
  it('workflow_start resets every node of execution_order to pending, progress 0, no flows', () => {
    const before = run([specMessages.edge_flow, specMessages.progress]);
    expect(before.edgeFlows).toHaveLength(1);
    const s = run([specMessages.workflow_start], before);
    expect(s.nodeStatuses).toEqual({ node1: { status: 'pending' }, node2: { status: 'pending' }, node3: { status: 'pending' } });
    expect(s.edgeFlows).toEqual([]);
    expect(s.progress).toBe(0);
    expect(s.executionId).toBe('uuid-string');
    expect(s.executionOrder).toEqual(['node1', 'node2', 'node3']);
    expect(s.totalNodes).toBe(3);
    expect(s.runStatus).toBe('running');
  });

  it('node_status replaces the node with status, result and error', () => {
    let s = run([specMessages.workflow_start, specMessages.node_status_running]);
    expect(s.nodeStatuses.node1?.status).toBe('running');
    s = run([specMessages.node_status_completed], s);
    expect(s.nodeStatuses.node1).toMatchObject({ status: 'completed', result: { output: 'ok' }, error: null });
    s = run([specMessages.node_status_error], s);
    expect(s.nodeStatuses.node1).toMatchObject({ status: 'error', error: 'error message' });
    expect(s.nodeStatuses.node1?.result).toBeUndefined();
  });

  it('edge_flow adds a flow with an id that expires after 3 s', () => {
    const s = run([specMessages.edge_flow], createInitialState('123'), 1000);
    expect(s.edgeFlows).toEqual([
      expect.objectContaining({
        sourceNodeId: 'node1',
        targetNodeId: 'node2',
        edgeId: null,
        data: null,
        timestamp: '2025-11-13T10:30:02.456789',
        receivedAt: 1000,
        expiresAt: 4000,
      }),
    ]);
    expect(typeof s.edgeFlows[0]?.id).toBe('string');
    expect(expireEdgeFlows(s, 3999)).toBe(s);
    expect(expireEdgeFlows(s, 4000).edgeFlows).toEqual([]);
  });

  it('two flows on one edge get different ids, so the animation restarts', () => {
    const s = run([specMessages.edge_flow, specMessages.edge_flow]);
    expect(s.edgeFlows).toHaveLength(2);
    expect(s.edgeFlows[0]?.id).not.toBe(s.edgeFlows[1]?.id);
  });

  it('a flood of flows is bounded: the newest maxEdgeFlows stay, in a batch as one by one, and expired ones go', () => {
    const flood = Array.from({ length: 1500 }, (_, i) =>
      createEdgeFlowMessage({ ...ids('e1'), sourceNodeId: `n${i}`, targetNodeId: `n${i + 1}` }),
    );
    const oneByOne = run(flood);
    const batched = reduceWorkflowBatch(createInitialState('123'), flood, { now: 0 });
    for (const s of [oneByOne, batched]) {
      expect(s.edgeFlows).toHaveLength(DEFAULT_LIMITS.maxEdgeFlows);
      expect(s.edgeFlows.at(-1)).toMatchObject({ sourceNodeId: 'n1499' });
      expect(s.edgeFlows[0]).toMatchObject({ sourceNodeId: `n${1500 - DEFAULT_LIMITS.maxEdgeFlows}` });
    }
    // The next batch, 3 s on: the old flows are gone, the new one stays.
    const later = reduceWorkflowBatch(batched, [flood[0]!], { now: 3000 });
    expect(later.edgeFlows).toEqual([expect.objectContaining({ sourceNodeId: 'n0', expiresAt: 6000 })]);
    expect(batched.edgeFlows).toHaveLength(DEFAULT_LIMITS.maxEdgeFlows); // the published list is never changed in place
  });

  it("a flood on one busy edge does not cut a quiet edge's flow short: superseded flows go first", () => {
    const quiet = createEdgeFlowMessage({ ...ids('e1'), sourceNodeId: 'q', targetNodeId: 'r' });
    const flood = Array.from({ length: 1500 }, () => createEdgeFlowMessage({ ...ids('e1'), sourceNodeId: 'a', targetNodeId: 'b', edgeId: 'ab' }));
    for (const s of [run([quiet, ...flood]), reduceWorkflowBatch(createInitialState('123'), [quiet, ...flood], { now: 0 })]) {
      expect(s.edgeFlows[0]).toMatchObject({ sourceNodeId: 'q' });
      expect(s.edgeFlows.at(-1)!.id).toBe(`e1:1501`); // the busy edge's newest
      expect(s.edgeFlows.length).toBeLessThanOrEqual(DEFAULT_LIMITS.maxEdgeFlows);
    }
  });

  it('a batch without a clock expires flows by each message, as one by one does', () => {
    const flowAt = (second: number, source: string) =>
      createEdgeFlowMessage({ ...ids('e1'), sourceNodeId: source, targetNodeId: 'x', timestamp: at(second) });
    const messages = [flowAt(1, 'a'), flowAt(2, 'b'), flowAt(9, 'c')];
    const oneByOne = messages.reduce((st, m) => reduceWorkflow(st, m), createInitialState('123'));
    const batched = reduceWorkflowBatch(createInitialState('123'), messages);
    expect(batched.edgeFlows.map((f) => f.sourceNodeId)).toEqual(['c']);
    expect(batched.edgeFlows).toEqual(oneByOne.edgeFlows);
  });

  it('progress sets percent, step, total and current node', () => {
    const s = run([specMessages.progress]);
    expect(s).toMatchObject({ progress: 40, currentStep: 2, totalSteps: 5, currentNodeId: 'node2' });
  });

  it('log appends a line', () => {
    const s = run([specMessages.log]);
    expect(s.logs).toEqual([expect.objectContaining({ level: 'info', message: 'log message', nodeId: null, executionId: 'uuid-string' })]);
  });

  it('error records message, node and time', () => {
    const s = run([specMessages.error]);
    expect(s.errors).toEqual([
      { message: 'error message', nodeId: 'node1', time: new Date(2025, 10, 13, 10, 30, 2, 123).getTime(), executionId: 'uuid-string' },
    ]);
  });

  it('workflow_complete sets progress 100, success, execution time and errors', () => {
    const s = run([specMessages.workflow_start, specMessages.progress, specMessages.workflow_complete]);
    expect(s).toMatchObject({
      progress: 100,
      success: true,
      executionTime: 5.23,
      completionErrors: [],
      runStatus: 'completed',
      currentNodeId: null,
    });
  });

  it('pong changes nothing', () => {
    const s = createInitialState('123');
    expect(reduceWorkflow(s, specMessages.pong)).toBe(s);
  });
});

describe('node ids that are Object property names', () => {
  it('__proto__, constructor and toString are nodes like any other; the record stays a plain record', () => {
    const order = ['__proto__', 'constructor', 'toString'];
    let s = run([createWorkflowStartMessage({ ...ids('e1', 1), executionOrder: order, timestamp: at(0) })]);
    s = run([createNodeStatusMessage({ ...ids('e1', 2), nodeId: '__proto__', status: 'running', timestamp: at(1) })], s);
    s = run([createNodeStatusMessage({ ...ids('e1', 3), nodeId: 'constructor', status: 'completed', result: 1, timestamp: at(2) })], s);
    s = run([createWorkflowCompleteMessage({ ...ids('e1', 4), success: true, executionTime: 3, errors: [], timestamp: at(3) })], s);
    expect(Object.keys(s.nodeStatuses)).toEqual(order);
    expect(Object.getPrototypeOf(s.nodeStatuses)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(s.nodeStatuses, '__proto__')?.value).toMatchObject({ status: 'completed', durationMs: 2000 });
    expect(Object.getOwnPropertyDescriptor(s.nodeStatuses, 'constructor')?.value).toMatchObject({ status: 'completed', result: 1 });
    expect(Object.getOwnPropertyDescriptor(s.nodeStatuses, 'toString')?.value).toEqual({ status: 'pending' });
  });
});

describe('run semantics beyond the seed', () => {
  it('times each node from its timestamps', () => {
    const s = run([
      createWorkflowStartMessage({ ...ids('e1'), timestamp: at(0), executionOrder: ['a'] }),
      createNodeStatusMessage({ ...ids('e1'), timestamp: at(1), nodeId: 'a', status: 'running' }),
      createNodeStatusMessage({ ...ids('e1'), timestamp: at(4), nodeId: 'a', status: 'completed', result: 1 }),
    ]);
    const a = s.nodeStatuses.a!;
    expect(a.durationMs).toBe(3000);
    expect(a.finishedAt! - a.startedAt!).toBe(3000);
  });

  it("a running node's progress updates keep its start time and its own percent", () => {
    const s = run([
      createWorkflowStartMessage({ ...ids('e1'), timestamp: at(0), executionOrder: ['train'] }),
      createNodeStatusMessage({ ...ids('e1'), timestamp: at(1), nodeId: 'train', status: 'running', progress: 0 }),
      createNodeStatusMessage({ ...ids('e1'), timestamp: at(2), nodeId: 'train', status: 'running', progress: 25 }),
      createNodeStatusMessage({ ...ids('e1'), timestamp: at(3), nodeId: 'train', status: 'running', progress: 150 }),
    ]);
    expect(s.nodeStatuses.train).toMatchObject({ status: 'running', startedAt: s.runStartedAt! + 1000, progress: 100 });
    const done = run([createNodeStatusMessage({ ...ids('e1'), timestamp: at(5), nodeId: 'train', status: 'completed', result: 1 })], s);
    expect(done.nodeStatuses.train).toMatchObject({ durationMs: 4000 });
    expect(done.nodeStatuses.train!.progress).toBeUndefined();
  });

  it('a node first seen running in a snapshot that gave no start time is timed from its next update', () => {
    const snapshot = createSnapshotMessage({
      timestamp: at(0),
      snapshot: {
        ...emptySnapshot('123'),
        execution_id: 'e1',
        run_state: 'running',
        execution_order: ['a'],
        total_nodes: 1,
        nodes: { a: { status: 'running', result: null, error: null, started_at: null, finished_at: null } },
      },
    });
    const s = run([
      snapshot,
      createNodeStatusMessage({ ...ids('e1'), timestamp: at(1), nodeId: 'a', status: 'running', progress: 50 }),
      createNodeStatusMessage({ ...ids('e1'), timestamp: at(3), nodeId: 'a', status: 'completed', result: 1 }),
    ]);
    expect(s.nodeStatuses.a!.durationMs).toBe(2000);
  });

  it("an error naming a node that has not finished fails it with the error's message (the spec: colour it red, show it)", () => {
    const start = run([
      createWorkflowStartMessage({ ...ids('e1'), timestamp: at(0), executionOrder: ['a', 'b', 'c'] }),
      createNodeStatusMessage({ ...ids('e1'), timestamp: at(1), nodeId: 'a', status: 'completed', result: 1 }),
      createNodeStatusMessage({ ...ids('e1'), timestamp: at(1), nodeId: 'b', status: 'running' }),
      createNodeStatusMessage({ ...ids('e1'), timestamp: at(2), nodeId: 'c', status: 'error' }),
    ]);
    const s = run(
      [
        createErrorMessage({ ...ids('e1'), timestamp: at(3), error: 'Payment API returned 503', nodeId: 'b' }),
        createErrorMessage({ ...ids('e1'), timestamp: at(3), error: 'late check failed', nodeId: 'a' }),
        createErrorMessage({ ...ids('e1'), timestamp: at(3), error: 'disk full', nodeId: 'c' }),
        createErrorMessage({ ...ids('e1'), timestamp: at(3), error: 'elsewhere', nodeId: 'unknown-node' }),
        createWorkflowCompleteMessage({ ...ids('e1'), success: false, executionTime: 3, errors: [] }),
      ],
      start,
    );
    expect(s.nodeStatuses.b).toMatchObject({ status: 'error', error: 'Payment API returned 503', durationMs: 2000 });
    expect(s.nodeStatuses.a).toMatchObject({ status: 'completed', result: 1 }); // a finished node keeps its outcome
    expect(s.nodeStatuses.c).toMatchObject({ status: 'error', error: 'disk full' }); // failed without a message: now it has one
    expect(s.nodeStatuses['unknown-node']).toBeUndefined();
    expect(s.errors).toHaveLength(4);
    // A node_status error with its own message is the node's word; a later error message does not replace it.
    const own = run([createErrorMessage({ ...ids('e1'), timestamp: at(4), error: 'summary', nodeId: 'b' })], s);
    expect(own.nodeStatuses.b!.error).toBe('Payment API returned 503');
  });

  it('marks a run shown from a snapshot as joined, and a run seen from its start as not', () => {
    const joined = run([createSnapshotMessage({ snapshot: { ...emptySnapshot('123'), execution_id: 'e1', run_state: 'running' } })]);
    expect(joined.joined).toBe(true);
    expect(run([createWorkflowStartMessage({ ...ids('e2'), timestamp: at(9), executionOrder: ['a'] })], joined).joined).toBe(false);
    expect(createInitialState('123').joined).toBe(false);
  });

  it('a run taken for forgotten (an empty snapshot) is live again once its own messages come back', () => {
    const start = run([
      createWorkflowStartMessage({ ...ids('e1', 0), timestamp: at(0), executionOrder: ['a'] }),
      createNodeStatusMessage({ ...ids('e1', 1), timestamp: at(1), nodeId: 'a', status: 'running' }),
      createSnapshotMessage({ timestamp: at(2), snapshot: emptySnapshot('123') }),
    ]);
    expect(start.stale).toBe(true);
    const back = run([createNodeStatusMessage({ ...ids('e1', 2), timestamp: at(3), nodeId: 'a', status: 'completed', result: 1 })], start);
    expect(back).toMatchObject({ stale: false, lastSeq: 2 });
  });

  it('a snapshot of a run that started before the one on screen is an older run: ignored, whatever the order sent', () => {
    const snapshot = (executionId: string, startedAt: string, seq: number) =>
      createSnapshotMessage({
        seq,
        timestamp: at(30),
        snapshot: {
          ...emptySnapshot('123'),
          execution_id: executionId,
          run_state: 'running',
          started_at: startedAt,
          execution_order: ['a'],
          total_nodes: 1,
        },
      });
    const s = run([snapshot('e2', at(20), 3), snapshot('e1', at(10), 7)]);
    expect(s.executionId).toBe('e2');
    const next = run([createWorkflowCompleteMessage({ ...ids('e2', 4), timestamp: at(31), success: true, executionTime: 1 })], s);
    expect(next.runStatus).toBe('completed');
  });

  it("a snapshot without run_state tells a finished run by success; its entries without a time take the snapshot's", () => {
    const s = run([
      createSnapshotMessage({
        timestamp: at(40),
        snapshot: {
          ...emptySnapshot('123'),
          execution_id: 'e1',
          run_state: null,
          success: false,
          execution_time: 2,
          logs: [{ level: 'info', message: 'hi' } as never],
          errors: [{ error: 'boom' } as never],
        },
      }),
    ]);
    expect(s.runStatus).toBe('failed');
    expect(s.logs[0]!.time).toBe(s.errors[0]!.time);
    expect(s.logs[0]!.time).toBeGreaterThan(0);
  });

  it('a run that completes leaves no node running', () => {
    const ok = run([
      createWorkflowStartMessage({ ...ids('e1'), executionOrder: ['a', 'b', 'c'] }),
      createNodeStatusMessage({ ...ids('e1'), nodeId: 'a', status: 'running' }),
      createNodeStatusMessage({ ...ids('e1'), nodeId: 'b', status: 'running' }),
      createWorkflowCompleteMessage({ ...ids('e1'), success: true, executionTime: 1 }),
    ]);
    expect(Object.values(ok.nodeStatuses).map((n) => n.status)).toEqual(['completed', 'completed', 'pending']);

    const failed = run([
      createWorkflowStartMessage({ ...ids('e2'), executionOrder: ['a', 'b'] }),
      createNodeStatusMessage({ ...ids('e2'), nodeId: 'a', status: 'running' }),
      createWorkflowCompleteMessage({ ...ids('e2'), success: false, executionTime: 1, errors: ['boom'] }),
    ]);
    expect(failed.nodeStatuses.a).toMatchObject({ status: 'error', error: expect.stringMatching(/ended/) });
    expect(failed.nodeStatuses.b?.status).toBe('pending');
    expect(failed).toMatchObject({ runStatus: 'failed', success: false, completionErrors: ['boom'] });
  });

  it('ignores a message whose seq is not newer (idempotent replay)', () => {
    const start = createWorkflowStartMessage({ ...ids('e1', 1), executionOrder: ['a'] });
    const running = createNodeStatusMessage({ ...ids('e1', 2), nodeId: 'a', status: 'running' });
    const done = createNodeStatusMessage({ ...ids('e1', 3), nodeId: 'a', status: 'completed' });
    const once = run([start, running, done]);
    const replayed = run([start, running, done], once);
    expect(replayed).toBe(once);
    expect(run([running], once)).toBe(once);
    expect(once.nodeStatuses.a?.status).toBe('completed');
    expect(once.lastSeq).toBe(3);
  });

  it('ignores stragglers of an older execution once a newer one started', () => {
    const s = run([
      createWorkflowStartMessage({ ...ids('old'), executionOrder: ['a'] }),
      createWorkflowStartMessage({ ...ids('new'), executionOrder: ['a'] }),
      createNodeStatusMessage({ ...ids('old'), nodeId: 'a', status: 'error', error: 'late' }),
      createLogMessage({ ...ids('old'), message: 'late' }),
    ]);
    expect(s.executionId).toBe('new');
    expect(s.nodeStatuses.a?.status).toBe('pending');
    expect(s.logs).toEqual([]);
    expect(s.pastExecutionIds).toEqual(['old']);
  });

  it('a concurrent older run does not take over the live run on screen', () => {
    const snapshotB = run([
      createWorkflowStartMessage({ ...ids('B', 1), executionOrder: ['a', 'b'] }),
      createNodeStatusMessage({ ...ids('B', 2), nodeId: 'a', status: 'completed' }),
    ]);
    const s = reduceWorkflow(snapshotB, createNodeStatusMessage({ ...ids('A', 7), nodeId: 'b', status: 'error', error: 'A failed' }), {
      now: 1000,
    });
    expect(s).toBe(snapshotB);
    const next = reduceWorkflow(s, createNodeStatusMessage({ ...ids('B', 3), nodeId: 'b', status: 'running' }), { now: 1000 });
    expect(next.nodeStatuses.b?.status).toBe('running');
    expect(next.executionId).toBe('B');
  });

  it('a newer run whose start was missed replaces a silent run from a blank slate, never mixing the two', () => {
    const old = run([
      createWorkflowStartMessage({ ...ids('A', 1), executionOrder: ['a', 'b'] }),
      createNodeStatusMessage({ ...ids('A', 2), nodeId: 'a', status: 'completed' }),
      createNodeStatusMessage({ ...ids('A', 3), nodeId: 'b', status: 'running' }),
    ]);
    // Reconnected to a seed backend (no catch-up) 30 s later: run B is under way.
    const s = reduceWorkflow(old, createNodeStatusMessage({ ...ids('B', 5), nodeId: 'b', status: 'running' }), { now: 30_000 });
    expect(s.executionId).toBe('B');
    expect(s.nodeStatuses).toEqual({ b: expect.objectContaining({ status: 'running' }) });
    expect(s.pastExecutionIds).toEqual(['A']);
  });

  it('a message of another run stamped before the run on screen started is an older run: ignored, finished or quiet', () => {
    const b = run([
      createWorkflowStartMessage({ ...ids('B'), timestamp: at(10), executionOrder: ['a'] }),
      createNodeStatusMessage({ ...ids('B'), timestamp: at(11), nodeId: 'a', status: 'completed', result: 'B' }),
      createWorkflowCompleteMessage({ ...ids('B'), timestamp: at(12), success: true, executionTime: 2 }),
    ]);
    const fromA = [
      createNodeStatusMessage({ ...ids('A'), timestamp: at(5), nodeId: 'a', status: 'running' }),
      createProgressMessage({ ...ids('A'), timestamp: at(6), currentStep: 1, totalSteps: 1, currentNodeId: 'a' }),
      createLogMessage({ ...ids('A'), timestamp: at(9), message: 'late' }),
    ];
    // Long after B finished (past adoptAfterMs), and while B is live but quiet.
    for (const m of fromA) expect(reduceWorkflow(b, m, { now: 60_000 })).toBe(b);
    const liveB = run([createWorkflowStartMessage({ ...ids('B'), timestamp: at(10), executionOrder: ['a'] })]);
    for (const m of fromA) expect(reduceWorkflow(liveB, m, { now: 60_000 })).toBe(liveB);
    // A run stamped after B started is newer: its start was missed, it is shown.
    const c = reduceWorkflow(b, createNodeStatusMessage({ ...ids('C'), timestamp: at(20), nodeId: 'a', status: 'running' }), {
      now: 60_000,
    });
    expect(c).toMatchObject({ executionId: 'C', runStatus: 'running', pastExecutionIds: ['B'] });
  });

  it("a new run's start is shown even when the server's clock stepped back (NTP, another replica, DST)", () => {
    const b = run([createWorkflowStartMessage({ ...ids('B'), timestamp: at(10), executionOrder: ['a'] })]);
    const c = reduceWorkflow(b, createWorkflowStartMessage({ ...ids('C'), timestamp: at(5), executionOrder: ['x', 'y'] }), { now: 60_000 });
    expect(c).toMatchObject({ executionId: 'C', executionOrder: ['x', 'y'], runStartedAt: Date.parse('2025-11-13T10:30:05.000') });
  });

  it('a server that lost every run (restarted) resets the start clock too', () => {
    const b = run([createWorkflowStartMessage({ ...ids('B'), timestamp: at(10), executionOrder: ['a'] })]);
    const lost = reduceWorkflow(b, createSnapshotMessage({ timestamp: at(20), snapshot: emptySnapshot('123') }));
    expect(lost).toMatchObject({ stale: true, runStartedAt: null, executionId: 'B' });
    expect(reduceWorkflow(lost, createSnapshotMessage({ timestamp: at(21), snapshot: emptySnapshot('123') }))).toBe(lost);
    // The restarted server's first run is shown whatever its clock says.
    const next = reduceWorkflow(lost, createNodeStatusMessage({ ...ids('C'), timestamp: at(2), nodeId: 'a', status: 'running' }), {
      now: 60_000,
    });
    expect(next).toMatchObject({ executionId: 'C', stale: false });
  });

  it('a snapshot tells when its run started, so older runs stay out after a late join', () => {
    const snapshot = createSnapshotMessage({
      seq: 3,
      timestamp: at(30),
      snapshot: { ...emptySnapshot('123'), execution_id: 'B', run_state: 'completed', execution_order: ['a'], started_at: at(10) },
    });
    const s = run([snapshot]);
    expect(s.runStartedAt).toBe(Date.parse('2025-11-13T10:30:10.000'));
    expect(reduceWorkflow(s, createLogMessage({ ...ids('A'), timestamp: at(8), message: 'old' }), { now: 60_000 })).toBe(s);
    // A later snapshot of the same run from a server that does not send started_at keeps what we knew.
    const again = { ...snapshot, seq: 4, data: { ...snapshot.data, started_at: undefined } };
    expect(reduceWorkflow(s, again).runStartedAt).toBe(s.runStartedAt);
  });

  it('a late joiner adopts the execution from any message', () => {
    const s = run([createProgressMessage({ ...ids('e9', 40), currentStep: 3, totalSteps: 4, currentNodeId: 'c' })]);
    expect(s).toMatchObject({ executionId: 'e9', runStatus: 'running', progress: 75, lastSeq: 40 });
  });

  it('a new execution resets seq tracking', () => {
    const s = run([
      createWorkflowStartMessage({ ...ids('e1', 9), executionOrder: ['a'] }),
      createWorkflowStartMessage({ ...ids('e2', 1), executionOrder: ['b'] }),
    ]);
    expect(s.executionId).toBe('e2');
    expect(s.nodeStatuses).toEqual({ b: { status: 'pending' } });
  });

  it('ignores other workflows', () => {
    const s = createInitialState('other');
    expect(reduceWorkflow(s, specMessages.progress)).toBe(s);
  });

  it('logs are a bounded ring buffer that counts what it dropped', () => {
    let s = createInitialState('123');
    for (let i = 0; i < 7; i++) s = reduceWorkflow(s, createLogMessage({ ...ids('e1'), message: `line ${i}` }), { limits: { maxLogs: 3 } });
    expect(s.logs.map((l) => l.message)).toEqual(['line 4', 'line 5', 'line 6']);
    expect(s.droppedLogs).toBe(4);
  });

  it('a limit given as undefined keeps its default bound', () => {
    const lines = Array.from({ length: DEFAULT_LIMITS.maxLogs + 5 }, (_, i) => createLogMessage({ ...ids('e1'), message: `line ${i}` }));
    const s = reduceWorkflowBatch(createInitialState('123'), lines, { limits: { maxLogs: undefined as unknown as number } });
    expect(s.logs).toHaveLength(DEFAULT_LIMITS.maxLogs);
    expect(s.droppedLogs).toBe(5);
  });

  it('errors are bounded too', () => {
    let s = createInitialState('123');
    for (let i = 0; i < 5; i++) s = reduceWorkflow(s, createErrorMessage({ ...ids('e1'), error: `e${i}` }), { limits: { maxErrors: 2 } });
    expect(s.errors.map((e) => e.message)).toEqual(['e3', 'e4']);
  });

  it('clamps progress into 0..100', () => {
    expect(run([createProgressMessage({ ...ids('e1'), currentStep: 1, totalSteps: 1, progress: 250 })]).progress).toBe(100);
    expect(run([createProgressMessage({ ...ids('e1'), currentStep: 0, totalSteps: 1, progress: -5 })]).progress).toBe(0);
  });

  it('keeps untouched nodes by reference, so only one node re-renders', () => {
    const s1 = run([createWorkflowStartMessage({ ...ids('e1'), executionOrder: ['a', 'b'] })]);
    const s2 = run([createNodeStatusMessage({ ...ids('e1'), nodeId: 'a', status: 'running' })], s1);
    expect(s2.nodeStatuses.b).toBe(s1.nodeStatuses.b);
    expect(s2.nodeStatuses.a).not.toBe(s1.nodeStatuses.a);
  });

  it('drops expired flows when a new one arrives', () => {
    const flow = createEdgeFlowMessage({ ...ids('e1'), sourceNodeId: 'a', targetNodeId: 'b', edgeId: 'a-b', data: { n: 1 } });
    const s1 = run([flow], createInitialState('123'), 0);
    const s2 = run([flow], s1, 5000);
    expect(s2.edgeFlows).toHaveLength(1);
    expect(s2.edgeFlows[0]).toMatchObject({ receivedAt: 5000, edgeId: 'a-b', data: { n: 1 } });
  });
});
