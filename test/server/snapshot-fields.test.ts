// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBuiltinNodeTypes, createFlowpulseServer, SNAPSHOT_MAX_LOGS, type FlowpulseServer } from 'flowpulse/server';
import { expectValidMessage } from './helpers';
import { openClient, until, type TestClient } from './ws-client';

/** Log lines the `chatty` node writes: past the record's 500, so both bounds drop some. */
const CHATTY_LINES = 650;

let server: FlowpulseServer;
let base: string;
let wsBase: string;
const clients: TestClient[] = [];

beforeAll(async () => {
  const nodeTypes = createBuiltinNodeTypes().register('chatty', ({ log }) => {
    for (let i = 0; i < CHATTY_LINES; i++) log(`line ${i}`);
    return 'said it all';
  });
  server = createFlowpulseServer({
    port: 0,
    nodeTypes,
    workflows: [
      { id: 'long', nodes: [{ id: 'wait', type: 'delay', config: { ms: 30_000 } }] },
      { id: 'chatty', nodes: [{ id: 'talk', type: 'chatty' }] },
    ],
  });
  const { port, url } = await server.listen();
  base = url;
  wsBase = `ws://127.0.0.1:${port}`;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
});

async function lateSnapshot(workflowId: string): Promise<any> {
  const c = await openClient(`${wsBase}/api/ws/workflow/${workflowId}`);
  clients.push(c);
  const snapshot = await c.waitFor((m) => m.type === 'snapshot');
  expectValidMessage(snapshot);
  return snapshot;
}

const post = async (path: string) => (await fetch(base + path, { method: 'POST' })).json();
const execute = async (workflowId: string): Promise<string> => (await post(`/api/workflows/${workflowId}/execute`)).execution_id;
const running = (id: string) => until(() => server.registry.get(id)?.nodes.wait?.status === 'running');

describe('snapshot cancel_reason and dropped_logs', () => {
  it('a late joiner of a cancelled run learns why it was cancelled', async () => {
    const id = await execute('long');
    await running(id);
    expect((await lateSnapshot('long')).data).toMatchObject({ execution_id: id, cancel_reason: null, dropped_logs: 0 });
    await post(`/api/workflows/long/executions/${id}/cancel`);
    await until(() => server.registry.get(id)?.status === 'cancelled');
    expect((await lateSnapshot('long')).data).toMatchObject({
      execution_id: id,
      run_state: 'cancelled',
      cancel_reason: 'cancelled by user',
      completion_errors: ['Execution cancelled: cancelled by user'],
    });
  });

  it('carries the newest SNAPSHOT_MAX_LOGS lines and counts every older one, whichever bound dropped it', async () => {
    const live = await openClient(`${wsBase}/api/ws/workflow/chatty`);
    clients.push(live);
    const id = await execute('chatty');
    await live.waitFor((m) => m.type === 'workflow_complete' && m.data.execution_id === id);
    const sent = live.messages.filter((m) => m.type === 'log' && m.data.execution_id === id);
    const record = server.registry.get(id)!;
    expect(record.droppedLogs).toBeGreaterThan(0); // the record's own bound (500) dropped some too

    const { data } = await lateSnapshot('chatty');
    expect(data.logs).toHaveLength(SNAPSHOT_MAX_LOGS);
    expect(data.dropped_logs).toBe(sent.length - SNAPSHOT_MAX_LOGS);
    expect(data.logs.map((l: any) => l.message)).toEqual(sent.slice(-SNAPSHOT_MAX_LOGS).map((m) => m.data.message));
    expect(data.cancel_reason).toBeNull();
  });
});

describe('concurrent runs of one workflow', () => {
  it('both may be live; a late joiner gets the newest live run, even when a newer one already finished', async () => {
    const older = await execute('long');
    const newer = await execute('long');
    expect(older).not.toBe(newer);
    await running(older);
    await running(newer);
    expect((await lateSnapshot('long')).data).toMatchObject({ execution_id: newer, run_state: 'running' });

    await post(`/api/workflows/long/executions/${newer}/cancel`);
    await until(() => server.registry.get(newer)?.status === 'cancelled');
    expect((await lateSnapshot('long')).data).toMatchObject({ execution_id: older, run_state: 'running', cancel_reason: null });

    await post(`/api/workflows/long/executions/${older}/cancel`);
    await until(() => server.registry.get(older)?.status === 'cancelled');
    // Nothing live: the newest run, finished.
    expect((await lateSnapshot('long')).data).toMatchObject({ execution_id: newer, run_state: 'cancelled' });
  });
});
