// @vitest-environment node
/**
 * Live runs are bounded in bytes (maxLiveBytes, maxLiveBytesPerExecution): a run the server
 * cannot hold is refused with a reason, everyone else keeps being served, and memory comes back
 * when runs end.
 */
import { describe, expect, it } from 'vitest';
import {
  createBuiltinNodeTypes,
  createFlowpulseServer,
  ExecutionRegistry,
  LiveMemory,
  sleep,
  WorkflowEngine,
  type LogMemory,
  type WorkflowDefinition,
} from 'flowpulse/server';
import { serverPerFile, type TestServer } from './test-server';
import { until } from './ws-client';

const emptyObjects = (n: number) => Array.from({ length: n }, () => ({}));
/** 5,000 empty objects: 15 KB of JSON, charged some 335 KB (64 bytes an object). */
const BIG_INPUTS = { rows: emptyObjects(5_000) };

/** One node that waits (abortably) until cancelled: the run stays live holding its inputs. */
const holding = (id: string): WorkflowDefinition => ({ id, nodes: [{ id: 'wait', type: 'delay', config: { ms: 600_000 } }], edges: [] });
const quick: WorkflowDefinition = { id: 'quick', nodes: [{ id: 'a', type: 'start' }], edges: [] };
/** start → objects (returns `n` empty objects) → output. */
const producing = (id: string): WorkflowDefinition => ({
  id,
  nodes: [
    { id: 'in', type: 'start' },
    { id: 'objects', type: 'objects' },
    { id: 'out', type: 'output' },
  ],
  edges: [
    { source: 'in', target: 'objects' },
    { source: 'objects', target: 'out' },
  ],
});

const execute = async (srv: TestServer, workflowId: string, inputs?: object) => {
  const res = await fetch(`${srv.base}/api/workflows/${workflowId}/execute`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    ...(inputs === undefined ? {} : { body: JSON.stringify({ initial_inputs: inputs }) }),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: await res.json() };
};
const record = async (srv: TestServer, workflowId: string, executionId: string) =>
  (await fetch(`${srv.base}/api/workflows/${workflowId}/executions/${executionId}`)).json();
const liveBytes = async (srv: TestServer): Promise<number> => (await (await fetch(`${srv.base}/api/health`)).json()).liveBytes;
const cancel = (srv: TestServer, workflowId: string, executionId: string) =>
  fetch(`${srv.base}/api/workflows/${workflowId}/executions/${executionId}/cancel`, { method: 'POST' });
const ended = (srv: TestServer, executionId: string) => until(() => !srv.server.live.has(executionId), 5000);

describe('admission by memory', () => {
  const srv = serverPerFile(() => ({
    workflows: [holding('hold'), holding('other'), quick],
    maxLiveBytes: 1_000_000,
    maxLiveBytesPerExecution: 600_000,
  }));

  it('an execute whose inputs do not fit gets 503 with Retry-After and a reason; others keep running; ending runs frees the room', async () => {
    const first = await execute(srv, 'hold', BIG_INPUTS);
    const second = await execute(srv, 'other', BIG_INPUTS);
    expect([first.status, second.status]).toEqual([202, 202]);
    const refused = await execute(srv, 'hold', BIG_INPUTS);
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe('5');
    expect(refused.json).toEqual({
      error: 'live executions hold too much memory to start another (maxLiveBytes 1000000); try again when some have ended',
      limit: 1_000_000,
      needed: expect.any(Number),
      scope: 'server',
    });
    const held = await liveBytes(srv);
    expect(held).toBeGreaterThan(600_000);
    expect(refused.json.needed).toBeGreaterThan(1_000_000 - held);
    // The refusal started nothing and took nothing.
    expect(srv.server.live.size).toBe(2);
    expect(srv.server.registry.list('hold')).toHaveLength(1);
    expect(await liveBytes(srv)).toBe(held);

    // Runs that fit still start and finish, and the held runs keep going.
    const small = await execute(srv, 'quick', { n: 1 });
    expect(small.status).toBe(202);
    await ended(srv, small.json.execution_id);
    expect((await record(srv, 'quick', small.json.execution_id)).status).toBe('completed');
    expect((await record(srv, 'hold', first.json.execution_id)).status).toBe('running');
    expect((await record(srv, 'other', second.json.execution_id)).status).toBe('running');

    // A run that ends gives its memory back: the refused request now gets in.
    await cancel(srv, 'other', second.json.execution_id);
    await ended(srv, second.json.execution_id);
    expect(await liveBytes(srv)).toBeLessThan(held);
    expect((await execute(srv, 'hold', BIG_INPUTS)).status).toBe(202);

    for (const h of [...srv.server.live.values()]) h.cancel();
    await until(() => srv.server.live.size === 0, 5000);
    expect(await liveBytes(srv)).toBe(0);
  });

  it('inputs more than one execution may hold get 413 with the reason: retrying cannot help', async () => {
    const refused = await execute(srv, 'quick', { rows: emptyObjects(10_000) }); // charged some 670 KB
    expect(refused.status).toBe(413);
    expect(refused.retryAfter).toBeNull();
    expect(refused.json).toMatchObject({ limit: 600_000, scope: 'execution' });
    expect(refused.json.error).toMatch(
      /^initial_inputs would hold about \d+ bytes in memory; one execution may hold 600000 \(maxLiveBytesPerExecution\)$/,
    );
    expect(srv.server.live.size).toBe(0);
    expect((await execute(srv, 'quick', BIG_INPUTS)).status).toBe(202);
  });
});

describe('results of live runs', () => {
  let produce = 0;
  const srv = serverPerFile(() => ({
    nodeTypes: createBuiltinNodeTypes().register('objects', () => emptyObjects(produce)),
    workflows: [holding('hold'), producing('grow')],
    maxLiveBytes: 1_000_000,
    maxLiveBytesPerExecution: 800_000,
  }));

  it('a result that takes its run past its share fails that node with the reason; the record does not keep it', async () => {
    const other = await execute(srv, 'hold', { n: 1 });
    produce = 15_000; // some 1 MB
    const { json } = await execute(srv, 'grow', { n: 1 });
    await ended(srv, json.execution_id);
    const rec = await record(srv, 'grow', json.execution_id);
    expect(rec.status).toBe('failed');
    expect(rec.nodes.in.status).toBe('completed');
    expect(rec.nodes.objects).toMatchObject({ status: 'error', result: null });
    expect(rec.nodes.objects.error).toMatch(
      /^result needs about \d+ bytes of memory, more than this execution may still hold \(\d+ of 800000 left, maxLiveBytesPerExecution\)$/,
    );
    expect(rec.nodes.out.status).toBe('pending');
    expect(rec.errors).toEqual([`Node "objects" failed: ${rec.nodes.objects.error}`]);
    // The other run was not touched, and the failed one holds nothing any more.
    expect((await record(srv, 'hold', other.json.execution_id)).status).toBe('running');
    await cancel(srv, 'hold', other.json.execution_id);
    await ended(srv, other.json.execution_id);
    expect(await liveBytes(srv)).toBe(0);
  });

  it('a result that does not fit what all live runs may hold fails its node; once they end, the same run completes', async () => {
    const holds = [await execute(srv, 'hold', BIG_INPUTS), await execute(srv, 'hold', BIG_INPUTS)];
    produce = 5_000; // some 335 KB: fits the run's share (twice: `out` keeps a copy), not what is left of the whole
    const { json } = await execute(srv, 'grow', { n: 1 });
    await ended(srv, json.execution_id);
    const rec = await record(srv, 'grow', json.execution_id);
    expect(rec.status).toBe('failed');
    expect(rec.nodes.objects.error).toMatch(
      /^result needs about \d+ bytes of memory, more than live executions may still hold \(maxLiveBytes 1000000\); runs that end give their memory back$/,
    );

    for (const h of holds) await cancel(srv, 'hold', h.json.execution_id);
    await until(() => srv.server.live.size === 0, 5000);
    expect(await liveBytes(srv)).toBe(0);
    const again = await execute(srv, 'grow', { n: 1 });
    await ended(srv, again.json.execution_id);
    const done = await record(srv, 'grow', again.json.execution_id);
    expect(done.status).toBe('completed');
    expect(done.nodes.objects.result).toHaveLength(5_000);
    expect(await liveBytes(srv)).toBe(0);
  });
});

/** 40 lines of some 10 KB each (charged some 10.2 KB): four times what a 100,000-byte share keeps. */
const CHATTY_LINES = 40;
const chattyTypes = () =>
  createBuiltinNodeTypes().register('chatty', async ({ config, log, signal }) => {
    for (let i = 0; i < CHATTY_LINES; i++) log(`line ${i} ${'x'.repeat(10_000)}`);
    if (config.hold) await sleep(600_000, signal);
    return typeof config.resultChars === 'number' ? { text: 'y'.repeat(config.resultChars) } : null;
  });
/** start → chatty → output: 45 log lines in all (start, one per node completed, chatty's 40, the end). */
const talking = (id: string): WorkflowDefinition => ({
  id,
  nodes: [
    { id: 'in', type: 'start' },
    { id: 'chatty', type: 'chatty' },
    { id: 'out', type: 'output' },
  ],
  edges: [
    { source: 'in', target: 'chatty' },
    { source: 'chatty', target: 'out' },
  ],
});
const TALKING_LINES = 45;
/** One chatty node that keeps its run live (holding its lines) until cancelled. */
const holdTalking = (id: string): WorkflowDefinition => ({
  id,
  nodes: [{ id: 'chatty', type: 'chatty', config: { hold: true } }],
  edges: [],
});

describe('log lines of live runs', () => {
  const srv = serverPerFile(() => ({
    nodeTypes: chattyTypes(),
    workflows: [
      talking('talk'),
      holdTalking('hold-talk'),
      quick,
      // 40 lines of 10 KB, then a result of some 30 KB: a third of the run's share.
      { id: 'talk-then-result', nodes: [{ id: 'chatty', type: 'chatty', config: { resultChars: 30_000 } }], edges: [] },
    ],
    maxLiveBytes: 400_000,
    maxLiveBytesPerExecution: 100_000,
  }));

  it('a run whose lines outgrow its share runs to success, keeping its newest lines and counting the others; its memory comes back', async () => {
    const client = await srv.connect('talk');
    const id = await srv.execute('talk', { n: 1 });
    await client.waitFor((m) => m.type === 'workflow_complete' && m.data.execution_id === id);
    await ended(srv, id);
    const rec = await record(srv, 'talk', id);
    expect(rec.status).toBe('completed');
    expect(rec.errors).toEqual([]);
    // Every line went out live: the bound is on what the record keeps.
    const sent = client.messages.filter((m) => m.type === 'log' && m.data.execution_id === id);
    expect(sent).toHaveLength(TALKING_LINES);
    // Some nine lines of 10 KB fit 100,000 bytes: the newest, with every line before them counted.
    const bulky = rec.logs.filter((l: { message: string }) => l.message.startsWith('line '));
    expect(bulky.length).toBeGreaterThan(2);
    expect(bulky.length).toBeLessThan(10);
    expect(rec.droppedLogs).toBe(TALKING_LINES - rec.logs.length);
    expect(rec.logs.map((l: { seq: number }) => l.seq)).toEqual(sent.slice(-rec.logs.length).map((m) => m.seq));
    expect(rec.logs.at(-1).message).toMatch(/^Workflow completed in /);
    expect(rec.logs.some((l: { message: string }) => l.message.startsWith('line 39 '))).toBe(true);
    expect(await liveBytes(srv)).toBe(0);
  });

  it("a result takes the room of the run's kept lines before it fails its node: lines are what a run can do without", async () => {
    const id = await srv.execute('talk-then-result', { n: 1 });
    await ended(srv, id);
    const rec = await record(srv, 'talk-then-result', id);
    expect(rec.status).toBe('completed');
    expect(rec.nodes.chatty).toMatchObject({ status: 'completed', error: null });
    expect(rec.nodes.chatty.result.text).toHaveLength(30_000);
    const bulky = rec.logs.filter((l: { message: string }) => l.message.startsWith('line '));
    // Fewer 10 KB lines kept than a run without the result keeps (some nine), every line before them counted.
    expect(bulky.length).toBeLessThan(7);
    expect(rec.droppedLogs + rec.logs.length).toBeGreaterThanOrEqual(40);
    expect(await liveBytes(srv)).toBe(0);
  });

  it('lines of live runs count against maxLiveBytes: an execute that no longer fits gets 503; a run on the full server completes, dropping what it cannot keep', async () => {
    const holds: string[] = [];
    for (let i = 0; i < 4; i++) holds.push(await srv.execute('hold-talk', { n: i }));
    const lastLine = (id: string) =>
      srv.server.live
        .get(id)
        ?.record.logs.at(-1)
        ?.message.startsWith(`line ${CHATTY_LINES - 1} `);
    await until(() => holds.every(lastLine), 5000);
    // Four runs keep some 92 KB of lines each: the server holds them (and no more than its limit).
    const held = await liveBytes(srv);
    expect(held).toBeGreaterThan(4 * 80_000);
    expect(held).toBeLessThanOrEqual(400_000);

    const refused = await execute(srv, 'quick', { rows: emptyObjects(1_000) }); // some 67 KB: within a run's share
    expect(refused.status).toBe(503);
    expect(refused.json).toMatchObject({ limit: 400_000, scope: 'server' });
    expect(held + refused.json.needed).toBeGreaterThan(400_000);

    // What is left takes at most three of its 10 KB lines: older ones go to make room, and it still succeeds.
    const id = await srv.execute('talk', { n: 1 });
    await ended(srv, id);
    const rec = await record(srv, 'talk', id);
    expect(rec.status).toBe('completed');
    const bulky = rec.logs.filter((l: { message: string }) => l.message.startsWith('line '));
    expect(bulky.length).toBeLessThanOrEqual(Math.floor((400_000 - held) / 10_000));
    expect(bulky.at(-1).message).toMatch(/^line 39 /);
    expect(rec.droppedLogs).toBe(TALKING_LINES - rec.logs.length);
    expect(rec.logs.at(-1).message).toMatch(/^Workflow completed in /);
    // The run gave back what its lines held; the others still hold theirs.
    expect(await liveBytes(srv)).toBe(held);

    for (const h of holds) await cancel(srv, 'hold-talk', h);
    await until(() => srv.server.live.size === 0, 5000);
    expect(await liveBytes(srv)).toBe(0);
    expect((await execute(srv, 'quick', { rows: emptyObjects(1_000) })).status).toBe(202);
  });
});

describe('LiveMemoryAccount tryCharge and free', () => {
  it('tryCharge takes what fits the run and the server and refuses the rest without throwing; free gives back at most what is held', () => {
    const memory = new LiveMemory({ maxLiveBytes: 1_000, maxLiveBytesPerExecution: 600 });
    const a = memory.admit(100);
    const b = memory.admit(300);
    expect(a.tryCharge(600)).toBe(false); // past the run's share
    expect(a.tryCharge(500)).toBe(true);
    expect(b.tryCharge(200)).toBe(false); // past the server's total
    expect([a.bytes, b.bytes, memory.used]).toEqual([600, 300, 900]);
    a.free(450);
    expect([a.bytes, memory.used]).toEqual([150, 450]);
    a.free(10_000);
    a.free(Number.NaN);
    expect([a.bytes, memory.used]).toEqual([0, 300]);
    b.release();
    b.free(100);
    expect(b.tryCharge(10_000)).toBe(true); // a run that ended holds nothing, as with charge
    expect(memory.used).toBe(0);
  });
});

describe('maxLiveBytes options', () => {
  it('default to 512 MiB in all and an eighth of that per execution', async () => {
    const server = createFlowpulseServer({ port: 0 });
    expect([server.liveMemory.max, server.liveMemory.perExecution]).toEqual([512 * 1024 * 1024, 64 * 1024 * 1024]);
    await server.close();
    const smaller = createFlowpulseServer({ port: 0, maxLiveBytes: 1000 });
    expect(smaller.liveMemory.perExecution).toBe(125);
    await smaller.close();
  });

  it('reject limits that are not integers ≥ 1, or a share above the whole, at creation', async () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => createFlowpulseServer({ maxLiveBytes: bad })).toThrow(RangeError);
      expect(() => createFlowpulseServer({ maxLiveBytesPerExecution: bad })).toThrow(/maxLiveBytesPerExecution must be an integer/);
    }
    expect(() => createFlowpulseServer({ maxLiveBytes: 1_000, maxLiveBytesPerExecution: 2_000 })).toThrow(
      /maxLiveBytesPerExecution \(2000\) must be at most maxLiveBytes \(1000\)/,
    );
    const unlimited = createFlowpulseServer({ port: 0, maxLiveBytes: Infinity });
    expect(unlimited.liveMemory.perExecution).toBe(Infinity);
    await unlimited.close();
  });
});

describe('WorkflowEngine chargeResult', () => {
  it('is told each result’s estimated memory once; throwing fails the node with that message', async () => {
    const charged: [number, string][] = [];
    const engine = new WorkflowEngine({
      workflowId: 'wf',
      nodeTypes: createBuiltinNodeTypes().register('objects', () => emptyObjects(3)),
      chargeResult: (bytes, nodeId) => {
        charged.push([bytes, nodeId]);
        if (nodeId === 'objects') throw new Error('no room for it');
      },
    });
    const rec = await engine.execute(producing('wf'), {}).done;
    // start's result `{}`: 2 bytes + 64; three empty objects in an array: 10 bytes + 4 × 64.
    expect(charged).toEqual([
      [66, 'in'],
      [266, 'objects'],
    ]);
    expect(rec.status).toBe('failed');
    expect(rec.nodes.objects).toMatchObject({ status: 'error', result: null, error: 'no room for it' });
  });

  it('a chargeResult that cancels the run instead of throwing leaves the finished record as clients were told', async () => {
    const sent: string[] = [];
    const engine = new WorkflowEngine({
      workflowId: 'wf',
      nodeTypes: createBuiltinNodeTypes().register('objects', () => emptyObjects(3)),
      chargeResult: (_bytes, nodeId, id) => {
        if (nodeId === 'objects') engine.cancel(id, 'over budget');
      },
      onEvent: (m) => m.type === 'node_status' && sent.push(`${m.data.node_id} ${m.data.status}`),
    });
    const rec = await engine.execute(producing('wf'), {}).done;
    expect(sent).toEqual(['in running', 'in completed', 'objects running', 'objects error']);
    expect(rec).toMatchObject({ status: 'cancelled', progress: 100, completedNodes: 1, currentNodeId: null });
    expect(rec.nodes.objects).toMatchObject({ status: 'error', result: null, error: 'cancelled: over budget' });
  });
});

describe('WorkflowEngine logMemory', () => {
  const chatty = (engine: WorkflowEngine) =>
    engine.registerNodeType('chatty', ({ log }) => {
      for (let i = 0; i < 10; i++) log(`line ${i}`);
    });
  const def: WorkflowDefinition = { id: 'wf', nodes: [{ id: 'c', type: 'chatty' }], edges: [] };

  it('is charged each kept line, given back the dropped ones, and the rest when the run ends', async () => {
    const memory = new LiveMemory({ maxLiveBytes: 1_000, maxLiveBytesPerExecution: 1_000 });
    const account = memory.admit(0);
    const sent: number[] = [];
    const engine = chatty(
      new WorkflowEngine({ workflowId: 'wf', logMemory: account, onEvent: (m) => m.type === 'log' && sent.push(m.seq!) }),
    );
    const rec = await engine.execute(def).done;
    expect(rec.status).toBe('completed');
    expect(rec.logs.length).toBeGreaterThan(0);
    expect(rec.logs.length).toBeLessThan(sent.length);
    expect(rec.logs.map((l) => l.seq)).toEqual(sent.slice(-rec.logs.length));
    expect(rec.droppedLogs).toBe(sent.length - rec.logs.length);
    // The finished record keeps its lines, but they are no longer live memory.
    expect(account.bytes).toBe(0);
    expect(memory.used).toBe(0);
  });

  it('one logMemory for many runs: each run keeps its lines, however many ran before', async () => {
    const memory = new LiveMemory({ maxLiveBytes: 5_000, maxLiveBytesPerExecution: 5_000 });
    const engine = new WorkflowEngine({
      workflowId: 'wf',
      registry: new ExecutionRegistry({ maxFinishedPerWorkflow: 1 }),
      logMemory: memory.admit(0),
    }).registerNodeType('chatty', ({ log }) => {
      for (let i = 0; i < 5; i++) log(`line ${i} ${'x'.repeat(200)}`);
    });
    const kept: number[] = [];
    for (let run = 0; run < 6; run++) kept.push((await engine.execute(def).done).logs.length);
    expect(kept[0]).toBeGreaterThan(0);
    expect(new Set(kept)).toEqual(new Set([kept[0]]));
    expect(memory.used).toBe(0);
  });

  it('accepts Infinity for maxLogsPerExecution and maxLogChars: every line kept, none clipped', async () => {
    const engine = new WorkflowEngine({ workflowId: 'wf', maxLogsPerExecution: Infinity, maxLogChars: Infinity });
    engine.registerNodeType('long', ({ log }) => log('x'.repeat(20_000)));
    const rec = await engine.execute({ id: 'wf', nodes: [{ id: 'c', type: 'long' }], edges: [] }).done;
    expect(rec.logs.some((l) => l.message.length === 20_000)).toBe(true);
  });

  it('a line that fits nowhere is dropped and counted, and a logMemory that throws fails nothing', async () => {
    const refusing: LogMemory = { tryCharge: () => false, free: () => {} };
    const throwing: LogMemory = {
      tryCharge: () => {
        throw new Error('no');
      },
      free: () => {},
    };
    for (const logMemory of [refusing, throwing]) {
      const sent: string[] = [];
      const engine = chatty(
        new WorkflowEngine({ workflowId: 'wf', logMemory, onEvent: (m) => m.type === 'log' && sent.push(m.data.message) }),
      );
      const rec = await engine.execute(def).done;
      expect(rec.status).toBe('completed');
      expect(rec.logs).toEqual([]);
      expect(rec.droppedLogs).toBe(sent.length);
      expect(sent).toContain('line 9');
    }
  });
});

describe('a result no kept line can make room for', () => {
  it("leaves the run's log lines in place: they are what explains the failure", async () => {
    // Room for the lines, but the result (some 200 KB) is over the run's whole share (50 KB).
    const account = new LiveMemory({ maxLiveBytes: 50_000, maxLiveBytesPerExecution: 50_000 }).admit(0);
    const engine = new WorkflowEngine({
      workflowId: 'wf',
      chargeResult: (bytes) => account.charge(bytes),
      logMemory: account,
    }).registerNodeType('big', ({ log }) => {
      for (let i = 0; i < 10; i++) log(`step ${i}: fetched page ${i}`);
      return { text: 'y'.repeat(200_000) };
    });
    const rec = await engine.execute({ id: 'wf', nodes: [{ id: 'c', type: 'big' }], edges: [] }).done;
    expect(rec.status).toBe('failed');
    expect(rec.logs.filter((l) => l.message.startsWith('step '))).toHaveLength(10);
  });

  it("nor when other runs hold the server's room", async () => {
    const memory = new LiveMemory({ maxLiveBytes: 60_000, maxLiveBytesPerExecution: 50_000 });
    memory.admit(0).charge(45_000); // another live run holds most of the server's room
    const account = memory.admit(0);
    const engine = new WorkflowEngine({
      workflowId: 'wf',
      chargeResult: (bytes) => account.charge(bytes),
      logMemory: account,
    }).registerNodeType('mid', ({ log }) => {
      for (let i = 0; i < 10; i++) log(`step ${i}`);
      return { text: 'y'.repeat(30_000) };
    });
    const rec = await engine.execute({ id: 'wf', nodes: [{ id: 'c', type: 'mid' }], edges: [] }).done;
    expect(rec.status).toBe('failed');
    expect(rec.logs.filter((l) => l.message.startsWith('step '))).toHaveLength(10);
  });

  it('kept lines are given back before workflow_complete, when an app settles a run as the chargeResult docs show', async () => {
    const held = new Map<string, number>();
    const logMemory: LogMemory = {
      tryCharge: (bytes, run) => {
        if ((held.get(run) ?? 0) + bytes > 100_000) return false;
        held.set(run, (held.get(run) ?? 0) + bytes);
        return true;
      },
      free: (bytes, run) => void held.set(run, (held.get(run) ?? 0) - bytes),
    };
    const engine = new WorkflowEngine({
      workflowId: 'wf',
      logMemory,
      chargeResult: (bytes, _node, run) => void held.set(run, (held.get(run) ?? 0) + bytes),
      onEvent: (m) => m.type === 'workflow_complete' && held.delete(m.data.execution_id),
    }).registerNodeType('chatty', ({ log }) => {
      for (let i = 0; i < 5; i++) log(`line ${i}`);
      return 1;
    });
    await engine.execute({ id: 'wf', nodes: [{ id: 'c', type: 'chatty' }], edges: [] }).done;
    expect([...held.entries()]).toEqual([]);
  });
});
