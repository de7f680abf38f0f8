// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createInitialState, reduceWorkflow } from 'flowpulse';
import { createSnapshotMessage, type ExecutionMessage } from 'flowpulse/protocol';
import { buildSnapshot, ReplayStore, sleep, WorkflowEngine, type WorkflowDefinition } from 'flowpulse/server';
import { chain, expectSeqFromOne, expectValidMessage, trace } from './helpers';
import { recordView, stateView } from './recovery-helpers';

function collecting(options: Partial<ConstructorParameters<typeof WorkflowEngine>[0]> = {}) {
  const events: ExecutionMessage[] = [];
  const engine = new WorkflowEngine({ workflowId: 'wf', enableWebSocket: false, onEvent: (m) => events.push(m), ...options });
  return { engine, events };
}

describe('engine pause, resume, cancel', () => {
  it('paused before it started: workflow_start stays first and no node runs until resumed', async () => {
    const { engine, events } = collecting();
    const h = engine.execute(chain('wf', 2, 1));
    expect(h.pause()).toBe(true);
    expect(h.state).toBe('paused');
    await sleep(20);
    expect(trace(events)).toEqual(['workflow_start', 'log:info', 'run_state', 'log:info']);
    expect(h.resume()).toBe(true);
    expect(h.resume()).toBe(false);
    const record = await h.done;
    expect(record.status).toBe('completed');
    expectSeqFromOne(events);
    events.forEach(expectValidMessage);
  });

  it('a run whose last node finishes while paused completes; a failure while paused fails it', async () => {
    const { engine, events } = collecting();
    const last = engine.execute(chain('wf', 1, 30));
    await sleep(5);
    expect(engine.pause(last.executionId)).toBe(true);
    expect((await last.done).status).toBe('completed');
    expect(engine.resume(last.executionId)).toBe(false);

    const def: WorkflowDefinition = {
      id: 'wf',
      nodes: [
        { id: 'bad', type: 'fail', config: { ms: 20, message: 'boom' } },
        { id: 'next', type: 'delay', config: { ms: 1 } },
      ],
      edges: [{ source: 'bad', target: 'next' }],
    };
    const failing = engine.execute(def);
    await sleep(5);
    failing.pause();
    const record = await failing.done;
    expect(record).toMatchObject({ status: 'failed', progress: 100, currentNodeId: null, nodes: { next: { status: 'pending' } } });
    const state = events
      .filter((m) => m.data.execution_id === failing.executionId)
      .reduce((s, m) => reduceWorkflow(s, m), createInitialState('wf'));
    expect(state.runStatus).toBe('failed');
    expect(stateView(state)).toEqual(recordView(record));
  });

  it('cancel works on a paused run, reports the reason and aborts nothing twice', async () => {
    const { engine, events } = collecting();
    const h = engine.execute(chain('wf', 3, 1000));
    await sleep(10);
    h.pause();
    expect(h.cancel('cancelled by user')).toBe(true);
    expect(h.cancel()).toBe(false);
    expect(h.pause()).toBe(false);
    const record = await h.done;
    expect(record.status).toBe('cancelled');
    const runStates = events.filter((m) => m.type === 'run_state').map((m) => m.data.state);
    expect(runStates).toEqual(['paused', 'cancelled']);
    const complete = events.at(-1)!;
    expect(complete.type === 'workflow_complete' && complete.data.execution_time).toBeLessThan(0.1);
    // The last log line calls it what it is, as a warning: the user's decision, not a failure.
    const last = events.filter((m) => m.type === 'log').at(-1)!;
    expect(last.data).toMatchObject({ level: 'warning', message: expect.stringMatching(/^Workflow cancelled after \d+\.\d\d s$/) });
  });
});

describe('engine limits', () => {
  it('cuts results over maxInlineResultBytes to a result_ref, keeping them in the record', async () => {
    const { engine, events } = collecting({ maxInlineResultBytes: 100 });
    engine.registerNodeType('big', () => ({ text: 'z'.repeat(200) }));
    engine.registerNodeType('small', () => 'tiny');
    const record = await engine.execute({
      id: 'wf',
      nodes: [
        { id: 'b/1', type: 'big' },
        { id: 's', type: 'small' },
      ],
    }).done;
    const statuses = events.filter((m) => m.type === 'node_status' && m.data.status === 'completed');
    expect(statuses.map((m) => m.data)).toEqual([
      expect.objectContaining({
        node_id: 'b/1',
        result: null,
        result_ref: `/api/workflows/wf/executions/${record.executionId}/nodes/b%2F1/result`,
      }),
      expect.not.objectContaining({ result_ref: expect.anything() }),
    ]);
    expect(record.nodes['b/1']!.result).toEqual({ text: 'z'.repeat(200) });
    expect(buildSnapshot(record).nodes['b/1']).toMatchObject({ result: null, result_ref: record.nodes['b/1']!.resultRef });
  });

  it('clips runaway log lines and error texts', async () => {
    const { engine, events } = collecting({ maxLogChars: 50 });
    engine.registerNodeType('loud', ({ log }) => {
      log('x'.repeat(1000));
      throw new Error('y'.repeat(1000));
    });
    const record = await engine.execute({ id: 'wf', nodes: [{ id: 'l', type: 'loud' }] }).done;
    const texts = events.flatMap((m) => (m.type === 'log' ? [m.data.message] : m.type === 'error' ? [m.data.error] : []));
    expect(Math.max(...texts.map((t) => t.length))).toBeLessThan(200);
    expect(texts).toContain(`${'x'.repeat(50)}… [950 more characters]`);
    expect(record.nodes.l!.error).toBe(`${'y'.repeat(50)}… [950 more characters]`);
  });

  it('appends every message to the replay store, serialized once, and ends it', async () => {
    const replay = new ReplayStore();
    const { engine, events } = collecting({ replay, enableWebSocket: true });
    const { executionId, done } = engine.execute(chain('wf', 2, 1));
    await done;
    const frames = replay.since(executionId, 0)!;
    expect(frames.map((f) => JSON.parse(f.toString()))).toEqual(events);
    replay.append(executionId, events.length + 1, Buffer.from('late'));
    expect(replay.since(executionId, 0)).toHaveLength(events.length);
    replay.close();
  });
});

describe('buildSnapshot', () => {
  it('of a run not yet started: every node pending, seq 0, running', () => {
    const { engine } = collecting();
    const h = engine.execute(chain('wf', 2, 1));
    const snap = createSnapshotMessage({ seq: h.record.lastSeq, snapshot: buildSnapshot(h.record) });
    expectValidMessage(snap);
    expect(snap).toMatchObject({
      seq: 0,
      data: { run_state: 'running', progress: 0, nodes: { n1: { status: 'pending', started_at: null }, n2: { status: 'pending' } } },
    });
    h.cancel();
  });

  it('timestamps are in the messages’ own form and instant', async () => {
    const { engine, events } = collecting();
    const record = await engine.execute(chain('wf', 1, 1)).done;
    const running = events.find((m) => m.type === 'node_status' && m.data.status === 'running')!;
    expect(buildSnapshot(record).nodes.n1!.started_at).toBe(running.timestamp);
    expect(buildSnapshot(record).logs.map((l) => l.timestamp)).toEqual(events.filter((m) => m.type === 'log').map((m) => m.timestamp));
  });
});
