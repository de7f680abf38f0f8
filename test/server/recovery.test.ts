// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createInitialState, reduceWorkflow, type WorkflowState } from 'flowpulse';
import type { ServerMessage } from 'flowpulse/protocol';
import { createBuiltinNodeTypes, createFlowpulseServer, sleep as abortableSleep, type WorkflowDefinition } from 'flowpulse/server';
import { chain, expectValidMessage } from './helpers';
import { ReducingClient, expectSameAsRecord, recordView, seededRandom, sleep, stateView } from './recovery-helpers';
import { serverPerFile } from './test-server';
import { until } from './ws-client';

/** Logs `config.lines` lines spread over `config.ms`, then returns a small result (or `config.bytes` of one). */
function chattyTypes() {
  return createBuiltinNodeTypes().register('chatty', async ({ config, log, signal, node }) => {
    const lines = Number(config.lines ?? 4);
    for (let i = 0; i < lines; i++) {
      await abortableSleep(Number(config.ms ?? 20) / lines, signal);
      log(`${node.id}: step ${i + 1} of ${lines}`, i === lines - 1 ? 'warning' : 'info');
    }
    return config.bytes ? { blob: 'r'.repeat(Number(config.bytes)) } : { node: node.id, lines };
  });
}

/** Fan-out of chatty chains (`depth` nodes each, about `ms` each), a large result, a join, and a failing last node. */
function recoverWorkflow(id: string, rng: () => number, depth = 3, ms = 20): WorkflowDefinition {
  const nodes: WorkflowDefinition['nodes'] = [{ id: 'start', type: 'start' }];
  const edges: NonNullable<WorkflowDefinition['edges']> = [];
  const ends: string[] = [];
  for (let b = 1; b <= 5; b++) {
    let prev = 'start';
    for (let k = 1; k <= depth; k++) {
      const nid = `b${b}-${k}`;
      nodes.push({ id: nid, type: 'chatty', config: { ms: ms + Math.round(rng() * ms * 2), lines: 1 + Math.floor(rng() * 8) } });
      edges.push({ id: `${prev}->${nid}`, source: prev, target: nid });
      prev = nid;
    }
    ends.push(prev);
  }
  nodes.push({ id: 'big', type: 'chatty', config: { ms: 30, lines: 2, bytes: 100_000 } });
  edges.push({ source: 'start', target: 'big' });
  nodes.push({ id: 'join', type: 'merge' });
  for (const e of [...ends, 'big']) edges.push({ source: e, target: 'join' });
  nodes.push({ id: 'final', type: 'fail', config: { ms: 10, message: 'ledger rejected the batch' } });
  edges.push({ source: 'join', target: 'final' });
  return { id, name: 'Recover', nodes, edges };
}

const completeOf = (id: string) => (m: any) => m.type === 'workflow_complete' && m.data.execution_id === id;
const reduceAll = (messages: ServerMessage[], state: WorkflowState = createInitialState('recover')) =>
  messages.reduce((s, m) => reduceWorkflow(s, m), state);

const srv = serverPerFile(() => {
  const rng = seededRandom(7);
  return {
    nodeTypes: chattyTypes(),
    maxConcurrency: 2,
    workflows: [
      recoverWorkflow('recover', rng),
      recoverWorkflow('recover-long', rng, 5, 70),
      chain('steady', 6, 40),
      chain('idle', 1, 1),
      chain('twice', 3, 30),
    ],
  };
});

describe('state recovery on reconnect', () => {
  it('a client that reconnects with execution_id and last_seq gets exactly the missed messages, byte for byte', async () => {
    const reference = await srv.connect('/api/ws/workflow/steady');
    const b = await srv.connect('/api/ws/workflow/steady');
    const id = await srv.execute('steady');
    await b.waitFor((m) => m.seq >= 5);
    b.ws.terminate();
    const lastSeq = Math.max(...b.messages.filter((m) => m.data?.execution_id === id).map((m) => m.seq));
    await until(() => srv.server.registry.get(id)!.lastSeq >= lastSeq + 8);
    const again = await srv.connect(`/api/ws/workflow/steady?execution_id=${id}&last_seq=${lastSeq}`);
    await again.waitFor(completeOf(id));
    await reference.waitFor(completeOf(id));
    again.messages.forEach(expectValidMessage);
    // No snapshot: the buffer held everything; the first message is the first one missed.
    expect(again.messages[0].seq).toBe(lastSeq + 1);
    const expected = reference.texts.filter((t) => {
      const m = JSON.parse(t);
      return m.data?.execution_id === id && m.seq > lastSeq;
    });
    expect(again.texts).toEqual(expected);
    expect(again.messages.map((m) => m.seq)).toEqual(again.messages.map((_, i) => lastSeq + 1 + i));

    // Already up to date: nothing is replayed.
    const upToDate = await srv.connect(`/api/ws/workflow/steady?execution_id=${id}&last_seq=${srv.server.registry.get(id)!.lastSeq}`);
    upToDate.ws.send('ping');
    await upToDate.waitFor((m) => m.type === 'pong');
    expect(upToDate.messages.map((m) => m.type)).toEqual(['pong']);
  });

  it('a position older than the replay buffer gets a snapshot, then live messages right after it', async () => {
    const small = createFlowpulseServer({ port: 0, workflows: [chain('long', 8, 30)], replay: { maxMessages: 5 } });
    const { port: p, url } = await small.listen();
    try {
      const client = new ReducingClient(`ws://127.0.0.1:${p}`, 'long');
      await client.connect();
      const { execution_id: id } = await (await fetch(`${url}/api/workflows/long/execute`, { method: 'POST' })).json();
      await until(() => (client.state.lastSeq ?? 0) >= 3);
      client.drop();
      const left = client.state.lastSeq!;
      await until(() => small.registry.get(id)!.lastSeq >= left + 10);
      const c = await client.connect();
      await until(() => client.state.runStatus === 'completed', 5000);
      const snapshot = c.messages[0];
      expect(snapshot).toMatchObject({ type: 'snapshot', data: { execution_id: id, run_state: 'running' } });
      expect(snapshot.seq).toBeGreaterThanOrEqual(left + 10);
      expect(c.messages[1].seq).toBe(snapshot.seq + 1);
      expect(client.violations).toEqual([]);
      expectSameAsRecord(client.state, small.registry.get(id)!);
    } finally {
      await small.close();
    }
  });

  it('a client with no position gets the snapshot of the current run, and ends where a full-stream client does', async () => {
    const reference = await srv.connect('/api/ws/workflow/recover');
    const id = await srv.execute('recover');
    await reference.waitFor((m) => m.type === 'node_status' && m.data.node_id === 'b1-2');
    const late = await srv.connect('/api/ws/workflow/recover');
    await late.waitFor(completeOf(id), 10_000);
    await reference.waitFor(completeOf(id));
    const snap = late.messages[0];
    expectValidMessage(snap);
    expect(snap).toMatchObject({ type: 'snapshot', data: { workflow_id: 'recover', execution_id: id, run_state: 'running' } });
    expect(late.messages[1].seq).toBe(snap.seq + 1);
    const full = reduceAll(reference.messages);
    const joined = reduceAll(late.messages);
    const record = srv.server.registry.get(id)!;
    expect(stateView(joined)).toEqual(stateView(full));
    expect(stateView(full)).toEqual(recordView(record));
    // The large result came as a reference, in the stream and in the snapshot alike.
    expect(full.nodeStatuses.big).toMatchObject({ status: 'completed', resultRef: expect.stringMatching(/\/nodes\/big\/result$/) });

    // After the run: the snapshot shows the outcome, with the same view.
    const after = await srv.connect('/api/ws/workflow/recover');
    await after.waitFor((m) => m.type === 'snapshot');
    expect(after.messages[0]).toMatchObject({
      seq: record.lastSeq,
      data: { run_state: 'failed', success: false, progress: 100, completion_errors: ['Node "final" failed: ledger rejected the batch'] },
    });
    expect(after.messages[0].data.nodes.big).toMatchObject({ result: null, result_ref: record.nodes.big!.resultRef });
    expect(after.messages[0].data.errors).toEqual([
      { error: 'ledger rejected the batch', node_id: 'final', timestamp: record.errorMessages[0]!.timestamp },
    ]);
    expect(stateView(reduceAll(after.messages))).toEqual(stateView(full));
  });

  it('an unknown execution gets a null snapshot, then the newest run if the workflow has one', async () => {
    const none = await srv.connect('/api/ws/workflow/never-ran?execution_id=gone&last_seq=12');
    await none.waitFor((m) => m.type === 'snapshot');
    expect(none.messages[0]).toMatchObject({ data: { workflow_id: 'never-ran', execution_id: null, run_state: null, nodes: {} } });
    expect(none.messages[0].seq).toBeUndefined();

    const id = await srv.execute('idle');
    await until(() => srv.server.registry.get(id)?.status === 'completed');
    const unknown = await srv.connect('/api/ws/workflow/idle?execution_id=from-a-previous-server&last_seq=40');
    await unknown.waitFor((m) => m.type === 'snapshot' && m.data.execution_id === id);
    // The run it shows is gone (marked stale), and no clock of the old server is held against the new one's.
    expect(unknown.messages[0]).toMatchObject({ data: { workflow_id: 'idle', execution_id: null } });
    expect(unknown.messages[1]).toMatchObject({
      seq: srv.server.registry.get(id)!.lastSeq,
      data: { execution_id: id, run_state: 'completed' },
    });
  });

  it('a client on an older run gets its tail, then the snapshot of the newer run it missed', async () => {
    const client = new ReducingClient(srv.wsBase, 'twice');
    await client.connect();
    const first = await srv.execute('twice');
    await until(() => (client.state.lastSeq ?? 0) >= 4);
    client.drop();
    await until(() => srv.server.registry.get(first)!.status === 'completed');
    const second = await srv.execute('twice');
    await until(() => srv.server.registry.get(second)!.lastSeq >= 3);
    const c = await client.connect();
    await until(() => client.state.executionId === second && client.state.runStatus === 'completed', 5000);
    const types = c.messages.map((m) => `${m.type}:${m.data?.execution_id === first ? 1 : 2}`);
    expect(types[0]).not.toBe('snapshot:1'); // the tail of the first run was replayed
    expect(types).toContain('workflow_complete:1');
    expect(types).toContain('snapshot:2');
    expect(client.state.pastExecutionIds).toEqual([first]);
    expect(client.violations).toEqual([]);
    expectSameAsRecord(client.state, srv.server.registry.get(second)!);
  });

  it('20 drops at random points of a run (seeded): the client ends equal to the server record', async () => {
    const rng = seededRandom(20251113);
    const client = new ReducingClient(srv.wsBase, 'recover-long');
    await client.connect();
    const id = await srv.execute('recover-long');
    let missed = 0;
    let whileLive = 0;
    for (let drop = 0; drop < 20; drop++) {
      const socket = client.socket!;
      const want = socket.messages.length + 1 + Math.floor(rng() * 10);
      const t0 = Date.now();
      await until(() => socket.messages.length >= want || Date.now() - t0 > 40, 2000);
      client.drop();
      await sleep(Math.floor(rng() * 30));
      const record = srv.server.registry.get(id)!;
      missed += record.lastSeq - (client.state.executionId === id ? (client.state.lastSeq ?? 0) : 0);
      if (record.status === 'running') whileLive++;
      await client.connect();
    }
    await until(() => client.state.executionId === id && client.state.runStatus === 'failed', 10_000);
    expect(client.violations).toEqual([]);
    // The drops really lost messages (the replays filled them), and most hit the running execution.
    expect(missed).toBeGreaterThanOrEqual(10);
    expect(whileLive).toBeGreaterThanOrEqual(12);
    // Every reconnect with a position was answered from the replay buffer, not with a snapshot.
    expect(client.firstTypes.filter((t) => t === 'snapshot').length).toBeLessThanOrEqual(1);
    process.stdout.write(`random drops: ${missed} messages missed over 20 drops (${whileLive} mid-run), all recovered\n`);
    const record = srv.server.registry.get(id)!;
    expect(record.status).toBe('failed');
    expectSameAsRecord(client.state, record);
    expect(client.state.errors.map((e) => e.message)).toEqual(['ledger rejected the batch']);
    expect(client.state.nodeStatuses['b3-3']).toMatchObject({ status: 'completed', result: { node: 'b3-3' } });
  });

  it('after a server restart, the reconnecting client learns its run is gone and marks it stale', async () => {
    let first = createFlowpulseServer({ port: 0, workflows: [chain('restart', 3, 5_000)] });
    const { port: p, url } = await first.listen();
    const client = new ReducingClient(`ws://127.0.0.1:${p}`, 'restart');
    await client.connect();
    await fetch(`${url}/api/workflows/restart/execute`, { method: 'POST' });
    await until(() => client.state.nodeStatuses.n1?.status === 'running');
    // The process goes away while the client is cut off (it never hears the end).
    client.drop();
    await first.close();
    first = createFlowpulseServer({ port: p, workflows: [chain('restart', 3, 5_000)] });
    await first.listen();
    try {
      expect(client.state).toMatchObject({ runStatus: 'running', stale: false });
      const c = await client.connect();
      await until(() => client.state.stale);
      expect(c.messages[0]).toMatchObject({ type: 'snapshot', data: { execution_id: null, run_state: null } });
      expect(client.state.runStatus).toBe('running');
    } finally {
      client.drop();
      await first.close();
    }
  });
});
