// @vitest-environment node
import { describe, expect, it } from 'vitest';
import {
  ConnectionManager,
  createBuiltinNodeTypes,
  ExecutionRegistry,
  sleep,
  WorkflowEngine,
  WorkflowValidationError,
  type WorkflowDefinition,
} from 'flowpulse/server';
import type { ExecutionMessage } from 'flowpulse/protocol';
import { FakeSocket } from './fake-socket';
import { chain, expectSeqFromOne, expectValidMessage, trace } from './helpers';

function collecting(options: Partial<ConstructorParameters<typeof WorkflowEngine>[0]> = {}) {
  const events: ExecutionMessage[] = [];
  const engine = new WorkflowEngine({ workflowId: 'wf', enableWebSocket: false, onEvent: (m) => events.push(m), ...options });
  return { engine, events };
}

describe('WorkflowEngine', () => {
  it('runs a chain in order with the documented message sequence', async () => {
    const { engine, events } = collecting();
    const { executionId, done } = engine.execute(chain('wf', 3), { user: 'ada' });
    expect(events).toEqual([]); // nothing before execute returns
    const record = await done;
    expect(trace(events)).toEqual([
      'workflow_start',
      'log:info',
      'node_status:n1:running',
      'node_status:n1:completed',
      'progress:1/3',
      'edge_flow:n1->n2',
      'log:info',
      'node_status:n2:running',
      'node_status:n2:completed',
      'progress:2/3',
      'edge_flow:n2->n3',
      'log:info',
      'node_status:n3:running',
      'node_status:n3:completed',
      'progress:3/3',
      'log:info',
      'log:info',
      'workflow_complete',
    ]);
    events.forEach(expectValidMessage);
    expectSeqFromOne(events);
    expect(events.every((m) => m.data.execution_id === executionId && m.data.workflow_id === 'wf')).toBe(true);
    const start = events[0]!;
    expect(start.type === 'workflow_start' && start.data).toMatchObject({ execution_order: ['n1', 'n2', 'n3'], total_nodes: 3 });
    const edge = events.find((m) => m.type === 'edge_flow')!;
    expect(edge.data).toMatchObject({ edge_id: 'e1', data: { user: 'ada' } });
    const complete = events.at(-1)!;
    expect(complete.type === 'workflow_complete' && complete.data).toMatchObject({ success: true, errors: [] });
    expect(complete.type === 'workflow_complete' && complete.data.execution_time).toBeGreaterThan(0);
    expect(record).toMatchObject({ status: 'completed', progress: 100, completedNodes: 3, lastSeq: events.length, errors: [] });
    expect(record.nodes.n3).toMatchObject({ status: 'completed', result: { user: 'ada' } });
    expect(engine.registry.get(executionId)).toBe(record);
    expect(engine.activeExecutions()).toEqual([]);
  });

  it('progress percent follows completions (2 of 5 is 40)', async () => {
    const { engine, events } = collecting();
    await engine.execute(chain('wf', 5, 1)).done;
    const progress = events.filter((m) => m.type === 'progress').map((m) => m.type === 'progress' && m.data);
    expect(progress.map((p) => p && [p.current_step, p.progress, p.current_node_id])).toEqual([
      [1, 20, 'n1'],
      [2, 40, 'n2'],
      [3, 60, 'n3'],
      [4, 80, 'n4'],
      [5, 100, 'n5'],
    ]);
  });

  it('with enableWebSocket false sends nothing over sockets, only to listeners', async () => {
    const manager = new ConnectionManager({ pingIntervalMs: 0 });
    const socket = new FakeSocket();
    manager.connect(socket, 'wf');
    const { engine, events } = collecting({ manager, enableWebSocket: false });
    const viaSubscribe: ExecutionMessage[] = [];
    const unsubscribe = engine.subscribe((m) => viaSubscribe.push(m));
    await engine.execute(chain('wf', 2, 1)).done;
    expect(socket.sent).toHaveLength(0);
    expect(events.length).toBeGreaterThan(5);
    expect(viaSubscribe).toEqual(events);
    unsubscribe();
    await engine.execute(chain('wf', 1, 1)).done;
    expect(viaSubscribe.length).toBeLessThan(events.length);

    // The same engine setup with the socket enabled reaches the subscriber.
    const live = new WorkflowEngine({ workflowId: 'wf', manager });
    await live.execute(chain('wf', 2, 1)).done;
    expect(socket.sent.length).toBe(viaSubscribe.length); // same workflow shape, same message count
    expect(socket.texts().map((t) => JSON.parse(t).type)[0]).toBe('workflow_start');
    await manager.close(10);
  });

  it('passes predecessor results, initial inputs, config and node to executors', async () => {
    const seen: unknown[] = [];
    const { engine, events } = collecting();
    engine.registerNodeType('probe', ({ inputs, config, node, log }) => {
      seen.push({ inputs, config, id: node.id });
      log(`probing ${node.id}`, 'warning');
      return `${node.id}-result`;
    });
    const def: WorkflowDefinition = {
      id: 'wf',
      nodes: [
        { id: 'a', type: 'probe' },
        { id: 'b', type: 'probe', config: { k: 1 } },
        { id: 'c', type: 'probe' },
      ],
      edges: [
        { source: 'a', target: 'c' },
        { source: 'b', target: 'c' },
      ],
    };
    await engine.execute(def, { x: 1 }).done;
    expect(seen).toEqual([
      { inputs: { initial_inputs: { x: 1 } }, config: {}, id: 'a' },
      { inputs: { initial_inputs: { x: 1 } }, config: { k: 1 }, id: 'b' },
      { inputs: { initial_inputs: { x: 1 }, a: 'a-result', b: 'b-result' }, config: {}, id: 'c' },
    ]);
    const logs = events.filter((m) => m.type === 'log' && m.data.level === 'warning');
    expect(logs.map((m) => m.type === 'log' && [m.data.message, m.data.node_id])).toEqual([
      ['probing a', 'a'],
      ['probing b', 'b'],
      ['probing c', 'c'],
    ]);
    logs.forEach(expectValidMessage);
  });

  it('respects maxConcurrency and runs independent branches concurrently', async () => {
    let running = 0;
    let peak = 0;
    const { engine } = collecting({ maxConcurrency: 3 });
    engine.registerNodeType('work', async ({ signal }) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(15, signal);
      running--;
      return null;
    });
    const nodes = [{ id: 'root', type: 'start' }, ...Array.from({ length: 8 }, (_, i) => ({ id: `w${i}`, type: 'work' }))];
    const edges = nodes.slice(1).map((node) => ({ source: 'root', target: node.id }));
    const record = await engine.execute({ id: 'wf', nodes, edges }).done;
    expect(record.status).toBe('completed');
    expect(peak).toBe(3); // concurrent, and never more than the limit

    peak = 0;
    const serial = collecting({ maxConcurrency: 1 }).engine;
    serial.registerNodeType('work', engine.nodeTypes.get('work')!);
    await serial.execute({ id: 'wf', nodes, edges }).done;
    expect(peak).toBe(1);
    expect(() => new WorkflowEngine({ workflowId: 'x', maxConcurrency: 0 })).toThrow(RangeError);
  });

  it('on failure: error message, running siblings cancelled, unstarted nodes never run, success false', async () => {
    const { engine, events } = collecting();
    let siblingAborted = false;
    engine.registerNodeType('slow', async ({ signal }) => {
      try {
        await sleep(10_000, signal);
      } catch (e) {
        siblingAborted = true;
        throw e;
      }
    });
    const def: WorkflowDefinition = {
      id: 'wf',
      nodes: [
        { id: 'start', type: 'start' },
        { id: 'pay', type: 'fail', label: 'Charge card', config: { ms: 5, message: 'Payment API returned 503' } },
        { id: 'sibling', type: 'slow' },
        { id: 'ship', type: 'delay', config: { ms: 1 } },
        { id: 'notify', type: 'delay', config: { ms: 1 } },
      ],
      edges: [
        { source: 'start', target: 'pay' },
        { source: 'start', target: 'sibling' },
        { source: 'pay', target: 'ship' },
        { source: 'ship', target: 'notify' },
      ],
    };
    const t0 = performance.now();
    const record = await engine.execute(def).done;
    expect(performance.now() - t0).toBeLessThan(1000); // the 10 s sibling did not hold the run
    events.forEach(expectValidMessage);
    expectSeqFromOne(events);
    expect(trace(events).slice(-6)).toEqual([
      'node_status:pay:error',
      'error',
      'log:error',
      'node_status:sibling:error',
      'log:error',
      'workflow_complete',
    ]);
    const error = events.find((m) => m.type === 'error')!;
    expect(error.data).toMatchObject({ error: 'Payment API returned 503', node_id: 'pay' });
    const complete = events.at(-1)!;
    expect(complete.type === 'workflow_complete' && complete.data).toMatchObject({
      success: false,
      errors: ['Node "pay" failed: Payment API returned 503'],
    });
    const mentioned = new Set(events.flatMap((m) => (m.type === 'node_status' ? [m.data.node_id] : [])));
    expect(mentioned.has('ship')).toBe(false);
    expect(mentioned.has('notify')).toBe(false);
    expect(record.status).toBe('failed');
    expect(record.nodes.ship!.status).toBe('pending');
    expect(record.nodes.sibling).toMatchObject({ status: 'error', error: 'cancelled: node "pay" failed' });
    expect(record.nodes.pay).toMatchObject({ status: 'error', error: 'Payment API returned 503' });
    await sleep(5);
    expect(siblingAborted).toBe(true);
    const count = events.length;
    await sleep(20);
    expect(events.length).toBe(count); // nothing after workflow_complete
  });

  it('turns synchronous throws, non-Error throws and unserializable results into clean messages', async () => {
    const { engine, events } = collecting();
    engine.registerNodeType('weird', () => {
      const loop: Record<string, unknown> = {};
      loop.self = loop;
      return loop;
    });
    engine.registerNodeType('bigint', () => 10n);
    engine.registerNodeType('throws', () => {
      throw 'plain string';
    });
    const ok = await engine.execute({
      id: 'wf',
      nodes: [
        { id: 'a', type: 'weird' },
        { id: 'b', type: 'bigint' },
      ],
    }).done;
    expect(ok.status).toBe('completed');
    expect(String(ok.nodes.a!.result)).toMatch(/^\[unserializable result/);
    const failed = await engine.execute({ id: 'wf', nodes: [{ id: 't', type: 'throws' }] }).done;
    expect(failed.errors).toEqual(['Node "t" failed: plain string']);
    events.forEach(expectValidMessage);
  });

  it('fails or completes cleanly whatever a node throws, even a value that cannot be printed', async () => {
    const { engine, events } = collecting();
    const unprintable = () => Object.assign(Object.create(null), { code: 1n }); // no toString, JSON throws
    engine.registerNodeType('throws-unprintable', () => {
      throw unprintable();
    });
    engine.registerNodeType('result-unprintable', () => ({
      toJSON() {
        throw unprintable();
      },
    }));
    const failed = await engine.execute({ id: 'wf', nodes: [{ id: 'n', type: 'throws-unprintable' }] }).done;
    expect(failed.status).toBe('failed');
    expect(failed.nodes.n).toMatchObject({ status: 'error', error: '[unprintable object]' });
    const ok = await engine.execute({ id: 'wf', nodes: [{ id: 'r', type: 'result-unprintable' }] }).done;
    expect(ok.status).toBe('completed');
    expect(ok.nodes.r!.result).toBe('[unserializable result: [unprintable object]]');
    events.forEach(expectValidMessage);
  });

  it('runs more than ten nodes at once on one signal without a listener-leak warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const { engine } = collecting({ maxConcurrency: 20 });
      const nodes = Array.from({ length: 20 }, (_, i) => ({ id: `n${i}`, type: 'delay', config: { ms: 20 } }));
      expect((await engine.execute({ id: 'wf', nodes }).done).status).toBe('completed');
      await sleep(10); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });

  it('truncates large edge data but keeps the full result in node_status', async () => {
    const { engine, events } = collecting({ maxEdgeDataChars: 100 });
    const big = 'x'.repeat(500);
    await engine.execute({
      id: 'wf',
      nodes: [
        { id: 'a', type: 'delay', config: { ms: 0, result: big } },
        { id: 'b', type: 'output' },
      ],
      edges: [{ source: 'a', target: 'b' }],
    }).done;
    const edge = events.find((m) => m.type === 'edge_flow')!;
    expect(edge.data.data).toMatchObject({ truncated: true, size: 502 });
    const status = events.find((m) => m.type === 'node_status' && m.data.status === 'completed')!;
    expect(status.type === 'node_status' && status.data.result).toBe(big);
  });

  it('keeps concurrent executions apart, each with its own seq', async () => {
    const { engine, events } = collecting();
    const a = engine.execute(chain('wf', 3, 3));
    const b = engine.execute(chain('wf', 4, 2));
    expect(a.executionId).not.toBe(b.executionId);
    expect(engine.activeExecutions().sort()).toEqual([a.executionId, b.executionId].sort());
    await Promise.all([a.done, b.done]);
    const ofA = events.filter((m) => m.data.execution_id === a.executionId);
    const ofB = events.filter((m) => m.data.execution_id === b.executionId);
    expect(ofA.length + ofB.length).toBe(events.length);
    expectSeqFromOne(ofA);
    expectSeqFromOne(ofB);
    expect(ofA.filter((m) => m.type === 'node_status' && m.data.status === 'completed')).toHaveLength(3);
    expect(ofB.filter((m) => m.type === 'node_status' && m.data.status === 'completed')).toHaveLength(4);
  });

  it('rejects invalid workflows before sending anything', () => {
    const { engine, events } = collecting();
    expect(() => engine.execute({ id: 'wf', nodes: [{ id: 'a', type: 'nope' }] })).toThrow(WorkflowValidationError);
    expect(() => engine.execute(chain('wf', 1), [] as never)).toThrow(TypeError);
    expect(engine.validate({ id: 'wf', nodes: [{ id: 'a', type: 'nope' }] })[0]!.message).toBe('node "a" has unknown type "nope"');
    expect(events).toEqual([]);
    expect(() => new WorkflowEngine({ workflowId: '' })).toThrow(TypeError);
  });

  it('cancel() stops a run with run_state cancelled, an error and success false; a throwing listener breaks nothing', async () => {
    const events: ExecutionMessage[] = [];
    const engine = new WorkflowEngine({
      workflowId: 'wf',
      onEvent: () => {
        throw new Error('listener bug');
      },
    });
    engine.subscribe((m) => events.push(m));
    const handle = engine.execute(chain('wf', 3, 1000));
    await sleep(20);
    expect(handle.cancel('user pressed stop')).toBe(true);
    expect(handle.cancel()).toBe(false);
    const record = await handle.done;
    expect(record.status).toBe('cancelled');
    expect(record.errors).toEqual(['Execution cancelled: user pressed stop']);
    expect(trace(events).slice(-6)).toEqual([
      'run_state',
      'error',
      'log:warning',
      'node_status:n1:error',
      'log:warning',
      'workflow_complete',
    ]);
    expect(events.find((m) => m.type === 'run_state')?.data).toMatchObject({ state: 'cancelled', reason: 'user pressed stop' });
    expect(engine.cancel(handle.executionId)).toBe(false);
    // Cancelled before it even started: a start and an end, no node runs.
    let ran = false;
    engine.registerNodeType('side-effect', () => {
      ran = true;
    });
    const early = engine.execute({ id: 'wf', nodes: [{ id: 's', type: 'side-effect' }] });
    expect(engine.cancelAll('shutdown')).toBe(1);
    const earlyRecord = await early.done;
    await sleep(5);
    expect(ran).toBe(false);
    expect(earlyRecord.nodes.s!.status).toBe('pending');
    const earlyEvents = events.filter((m) => m.data.execution_id === early.executionId);
    expect(trace(earlyEvents)).toEqual([
      'workflow_start',
      'log:info',
      'run_state',
      'error',
      'log:warning',
      'log:warning',
      'workflow_complete',
    ]);
    expectSeqFromOne(earlyEvents);
  });

  it('records are bounded in the registry', async () => {
    let now = 0;
    const registry = new ExecutionRegistry({ maxFinishedPerWorkflow: 2, retainFinishedMs: 1000, now: () => now });
    const { engine } = collecting({ registry });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const h = engine.execute(chain('wf', 1, 0));
      ids.push(h.executionId);
      await h.done;
    }
    expect(
      registry
        .list('wf')
        .map((r) => r.executionId)
        .sort(),
    ).toEqual(ids.slice(2).sort());
    expect(registry.get(ids[0]!)).toBeUndefined();
    expect(registry.get(ids[3]!, 'other')).toBeUndefined();
    const running = engine.execute(chain('wf', 1, 50));
    now += 1000;
    expect(registry.size).toBe(1); // only the running one is left
    expect(registry.get(running.executionId)?.status).toBe('running');
    await running.done;
    now += 999;
    expect(registry.size).toBe(1);
    now += 1;
    expect(registry.size).toBe(0);
  });

  it('finished records are bounded in bytes across workflows, oldest released first; a live one never', async () => {
    const registry = new ExecutionRegistry({ maxFinishedBytes: 250_000 });
    const { engine } = collecting({ registry });
    engine.registerNodeType('bulky', () => 'x'.repeat(24_000));
    const bulky = (id: string) => ({ id, nodes: [{ id: 'b', type: 'bulky' }] });
    const live = engine.execute(chain('slow', 1, 300));
    const ids: string[] = [];
    for (const wf of ['a', 'b', 'a', 'c', 'a', 'b', 'c', 'a', 'b', 'c', 'a']) {
      const h = engine.execute(bulky(wf));
      ids.push(h.executionId);
      await h.done;
    }
    // Records of ~26 KB: nine fit in 250 KB, so of eleven the two oldest went, whatever their workflow.
    expect(ids.map((id) => registry.get(id) !== undefined)).toEqual([false, false, ...new Array(9).fill(true)]);
    expect(registry.get(live.executionId)?.status).toBe('running');
    expect(registry.get(ids[10]!)!.nodes.b!.result).toHaveLength(24_000);
    await live.done;
    expect(registry.get(live.executionId)?.status).toBe('completed'); // small: it fits next to the two newest
  });

  it('a run larger than the whole byte budget is kept, charged an eighth of it (its result_ref stays fetchable); BigInt inputs break nothing', async () => {
    const registry = new ExecutionRegistry({ maxFinishedBytes: 50_000 });
    const { engine } = collecting({ registry });
    engine.registerNodeType('bulky', () => 'x'.repeat(100_000));
    const first = await engine.execute({ id: 'a', nodes: [{ id: 'b', type: 'bulky' }] }).done;
    expect(registry.get(first.executionId)?.nodes.b?.result).toHaveLength(100_000);
    const second = await engine.execute({ id: 'a', nodes: [{ id: 'b', type: 'bulky' }] }, { big: 10n }).done;
    expect(registry.get(first.executionId)?.status).toBe('completed');
    expect(registry.get(second.executionId)?.status).toBe('completed');
  });

  it('bounds the logs kept in the record', async () => {
    const { engine, events } = collecting({ maxLogsPerExecution: 3 });
    engine.registerNodeType('chatty', ({ log }) => {
      for (let i = 0; i < 10; i++) log(`line ${i}`);
    });
    const record = await engine.execute({ id: 'wf', nodes: [{ id: 'c', type: 'chatty' }] }).done;
    expect(record.logs).toHaveLength(3);
    expect(record.droppedLogs).toBe(events.filter((m) => m.type === 'log').length - 3);
    expect(record.logs.at(-1)!.seq).toBe(record.lastSeq - 1);
  });
});

describe('built-in node types', () => {
  const run = async (def: WorkflowDefinition, inputs = {}, types = createBuiltinNodeTypes()) => {
    const engine = new WorkflowEngine({ workflowId: 'wf', enableWebSocket: false, nodeTypes: types });
    return engine.execute(def, inputs).done;
  };

  it('start, transform ops, merge modes and output', async () => {
    const r = await run(
      {
        id: 'wf',
        nodes: [
          { id: 'in', type: 'input', config: { defaults: { name: 'ada', role: 'x' } } },
          { id: 'up', type: 'transform', config: { op: 'uppercase' } },
          { id: 'low', type: 'transform', config: { op: 'lowercase' } },
          { id: 'tpl', type: 'transform', config: { template: 'Hi {{ input.name }} ({{ initial_inputs.role }}){{ input.missing }}' } },
          { id: 'pick', type: 'transform', config: { op: 'pick', fields: ['name', 'nope'] } },
          { id: 'set', type: 'transform', config: { values: { ok: true } } },
          { id: 'm-obj', type: 'merge' },
          { id: 'm-arr', type: 'merge', config: { mode: 'array' } },
          { id: 'm-shallow', type: 'merge', config: { mode: 'shallow' } },
          { id: 'out', type: 'output' },
        ],
        edges: [
          { source: 'in', target: 'up' },
          { source: 'in', target: 'low' },
          { source: 'in', target: 'tpl' },
          { source: 'in', target: 'pick' },
          { source: 'in', target: 'set' },
          { source: 'pick', target: 'm-obj' },
          { source: 'set', target: 'm-obj' },
          { source: 'pick', target: 'm-arr' },
          { source: 'set', target: 'm-arr' },
          { source: 'pick', target: 'm-shallow' },
          { source: 'set', target: 'm-shallow' },
          { source: 'm-shallow', target: 'out' },
        ],
      },
      { role: 'Admin' },
    );
    const result = (id: string) => r.nodes[id]!.result;
    expect(r.status).toBe('completed');
    expect(result('in')).toEqual({ name: 'ada', role: 'Admin' });
    expect(result('up')).toEqual({ name: 'ADA', role: 'ADMIN' });
    expect(result('low')).toEqual({ name: 'ada', role: 'admin' });
    expect(result('tpl')).toBe('Hi ada (Admin)');
    expect(result('pick')).toEqual({ name: 'ada' });
    expect(result('set')).toEqual({ name: 'ada', role: 'Admin', ok: true });
    expect(result('m-obj')).toEqual({ pick: { name: 'ada' }, set: { name: 'ada', role: 'Admin', ok: true } });
    expect(result('m-arr')).toEqual([{ name: 'ada' }, { name: 'ada', role: 'Admin', ok: true }]);
    expect(result('m-shallow')).toEqual({ name: 'ada', role: 'Admin', ok: true });
    expect(result('out')).toEqual({ name: 'ada', role: 'Admin', ok: true });
  });

  it('random fails with the injected source; bad config fails the node clearly', async () => {
    const def = (rate: number): WorkflowDefinition => ({ id: 'wf', nodes: [{ id: 'r', type: 'random', config: { failureRate: rate } }] });
    expect((await run(def(0.5), {}, createBuiltinNodeTypes({ random: () => 0.4 }))).status).toBe('failed');
    expect((await run(def(0.5), {}, createBuiltinNodeTypes({ random: () => 0.6 }))).status).toBe('completed');
    expect((await run(def(2))).errors).toEqual(['Node "r" failed: config.failureRate must be a number between 0 and 1, got 2']);
    const bad = await run({ id: 'wf', nodes: [{ id: 't', type: 'transform', config: { op: 'explode' } }] });
    expect(bad.errors[0]).toContain('unknown transform op "explode"');
    const badMs = await run({ id: 'wf', nodes: [{ id: 'd', type: 'delay', config: { ms: -1 } }] });
    expect(badMs.errors[0]).toContain('config.ms must be a number');
  });

  it('delay defaults to 300 ms and returns config.result', async () => {
    const t0 = performance.now();
    const r = await run({ id: 'wf', nodes: [{ id: 'd', type: 'delay', config: { result: 7, log: 'waiting' } }] });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    expect(r.nodes.d!.result).toBe(7);
    expect(r.logs.map((l) => l.message)).toContain('waiting');
  });
});
