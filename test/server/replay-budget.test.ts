// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { createFlowpulseServer, ReplayBuffer, ReplayStore, type FlowpulseServer } from 'flowpulse/server';
import { openClient, until, type TestClient } from './ws-client';

const buf = (seq: number, size = 10) => Buffer.from(String(seq).padEnd(size, '.'));

describe('ReplayStore byte accounting', () => {
  it('a seq gap releases what the buffer held from the total, so nothing drifts', () => {
    const store = new ReplayStore();
    store.append('e', 1, buf(1));
    store.append('e', 2, buf(2));
    store.append('e', 5, buf(5)); // a gap: 1 and 2 can no longer be replayed
    expect(store.stats()).toEqual({ executions: 1, bytes: 10 });
    expect(store.since('e', 4)).toHaveLength(1);
    store.release('e');
    expect(store.stats()).toEqual({ executions: 0, bytes: 0 });
  });

  it('ReplayBuffer.push reports the bytes a gap cleared', () => {
    const b = new ReplayBuffer(100, 1000);
    b.push(1, buf(1));
    b.push(2, buf(2));
    expect(b.push(7, buf(7))).toBe(20);
    expect(b.trimOldest(1)).toBe(10);
    expect([b.size, b.bytes, b.lastSeq]).toEqual([0, 0, 7]);
  });

  it('live buffers count against maxTotalBytes: finished ones go first, then the oldest live messages', () => {
    const store = new ReplayStore({ maxTotalBytes: 50 });
    store.append('done', 1, buf(1));
    store.end('done');
    for (let s = 1; s <= 3; s++) store.append('old', s, buf(s)); // 40 bytes
    store.append('new', 1, buf(1)); // 50
    store.append('new', 2, buf(2)); // 60: 'done' is released, nothing live is touched
    expect(store.since('done', 0)).toBeUndefined();
    expect(store.since('old', 0)).toHaveLength(3);
    store.append('new', 3, buf(3)); // 60 again, nothing finished left: the oldest live buffer loses its first message
    expect(store.stats()).toEqual({ executions: 2, bytes: 50 });
    expect(store.since('old', 0)).toBeUndefined(); // a client there gets a snapshot instead
    expect(store.since('old', 1)).toHaveLength(2);
    expect(store.since('new', 0)).toHaveLength(3);
    store.close();
  });

  it('trims across live buffers when the oldest is not enough, and never goes over budget', () => {
    const store = new ReplayStore({ maxTotalBytes: 25 });
    store.append('a', 1, buf(1));
    store.append('b', 1, buf(1));
    store.append('b', 2, buf(2, 30)); // 50 bytes: 'a' empties, then 'b' loses 1 and 2 (2 alone is over budget)
    expect(store.stats().bytes).toBeLessThanOrEqual(25);
    expect(store.since('a', 1)).toEqual([]); // up to date: nothing to send
    expect(store.since('b', 1)).toBeUndefined();
    store.close();
  });
});

describe('replay budget on a real server', () => {
  let server: FlowpulseServer | undefined;
  const clients: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await server?.close();
  });

  it('a client of a live run whose buffer was trimmed gets a snapshot on reconnect, then live messages', async () => {
    server = createFlowpulseServer({
      port: 0,
      workflows: [{ id: 'w', nodes: [{ id: 'wait', type: 'delay', config: { ms: 30_000 } }] }],
      replay: { maxTotalBytes: 1 }, // below any message: every live buffer is trimmed to nothing
    });
    const { port, url } = await server.listen();
    const id = (await (await fetch(`${url}/api/workflows/w/execute`, { method: 'POST' })).json()).execution_id;
    await until(() => server!.registry.get(id)?.nodes.wait?.status === 'running');
    expect(server.replay.stats().bytes).toBeLessThanOrEqual(1);

    const c = await openClient(`ws://127.0.0.1:${port}/api/ws/workflow/w?execution_id=${id}&last_seq=1`);
    clients.push(c);
    const snapshot = await c.waitFor((m) => m.type === 'snapshot');
    expect(c.messages[0]).toBe(snapshot);
    expect(snapshot.data).toMatchObject({ execution_id: id, run_state: 'running' });
    await fetch(`${url}/api/workflows/w/executions/${id}/cancel`, { method: 'POST' });
    const complete = await c.waitFor((m) => m.type === 'workflow_complete');
    expect(complete.seq).toBe(server.registry.get(id)!.lastSeq);
  });
});
