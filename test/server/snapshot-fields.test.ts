// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createBuiltinNodeTypes, SNAPSHOT_MAX_LOGS, SNAPSHOT_MAX_RESULT_BYTES } from 'flowpulse/server';
import { expectValidMessage } from './helpers';
import { serverPerFile } from './test-server';
import { until } from './ws-client';

/** Log lines the `chatty` node writes: past the record's 500, so both bounds drop some. */
const CHATTY_LINES = 650;

const srv = serverPerFile(() => {
  const nodeTypes = createBuiltinNodeTypes()
    .register('chatty', ({ log }) => {
      for (let i = 0; i < CHATTY_LINES; i++) log(`line ${i}`);
      return 'said it all';
    })
    // 50 KB each: under the per-result stream limit (64 KiB), but 30 of them are past a snapshot's budget.
    .register('mid', ({ node }) => `${node.id}:`.padEnd(50_000, 'x'));
  return {
    nodeTypes,
    workflows: [
      { id: 'long', nodes: [{ id: 'wait', type: 'delay', config: { ms: 30_000 } }] },
      { id: 'chatty', nodes: [{ id: 'talk', type: 'chatty' }] },
      { id: 'wide', nodes: Array.from({ length: 30 }, (_, i) => ({ id: `m${i}`, type: 'mid' })) },
      {
        id: 'busy',
        nodes: [
          { id: 'talk', type: 'chatty' },
          { id: 'wait', type: 'delay', config: { ms: 30_000 } },
        ],
        edges: [{ source: 'talk', target: 'wait' }],
      },
    ],
  };
});

async function lateSnapshot(workflowId: string): Promise<any> {
  const c = await srv.connect(workflowId);
  const snapshot = await c.waitFor((m) => m.type === 'snapshot');
  expectValidMessage(snapshot);
  return snapshot;
}

const post = async (path: string) => (await fetch(srv.base + path, { method: 'POST' })).json();
const running = (id: string) => until(() => srv.server.registry.get(id)?.nodes.wait?.status === 'running');

describe('snapshot size', () => {
  it('carries results inline up to its budget, the rest as result_ref that fetch in full', async () => {
    const id = await srv.execute('wide');
    await until(() => srv.server.registry.get(id)?.status === 'completed', 10_000);
    const { data } = await lateSnapshot('wide');
    const nodes = Object.values(data.nodes) as { result: unknown; result_ref?: string }[];
    const inline = nodes.filter((n) => n.result !== null);
    const byRef = nodes.filter((n) => n.result_ref);
    expect(inline.length + byRef.length).toBe(30);
    expect(inline.length).toBe(Math.floor(SNAPSHOT_MAX_RESULT_BYTES / 50_002)); // each 50,000 characters and two quotes
    expect(JSON.stringify(data).length).toBeLessThan(SNAPSHOT_MAX_RESULT_BYTES + 20_000);
    const fetched = await (await fetch(srv.base + byRef[0]!.result_ref!)).json();
    expect(fetched).toMatch(/^m\d+:x+$/);
    expect(fetched).toHaveLength(50_000);
  });
});

describe('snapshot cancel_reason, dropped_logs and started_at', () => {
  it("says when its run started, in the messages' timestamp form, so a late joiner can tell older runs apart", async () => {
    const live = await srv.connect('long');
    const id = await srv.execute('long');
    const start = await live.waitFor((m) => m.type === 'workflow_start' && m.data.execution_id === id);
    const { data } = await lateSnapshot('long');
    expect(data.execution_id).toBe(id);
    expect(data.started_at).toBe(start.timestamp);
    await post(`/api/workflows/long/executions/${id}/cancel`);
    await until(() => srv.server.registry.get(id)?.status === 'cancelled');
  });

  it('a late joiner of a cancelled run learns why it was cancelled', async () => {
    const id = await srv.execute('long');
    await running(id);
    expect((await lateSnapshot('long')).data).toMatchObject({ execution_id: id, cancel_reason: null, dropped_logs: 0 });
    await post(`/api/workflows/long/executions/${id}/cancel`);
    await until(() => srv.server.registry.get(id)?.status === 'cancelled');
    expect((await lateSnapshot('long')).data).toMatchObject({
      execution_id: id,
      run_state: 'cancelled',
      cancel_reason: 'cancelled by user',
      completion_errors: ['Execution cancelled: cancelled by user'],
    });
  });

  it('carries the newest SNAPSHOT_MAX_LOGS lines and counts every older one, whichever bound dropped it', async () => {
    const live = await srv.connect('chatty');
    const id = await srv.execute('chatty');
    await live.waitFor((m) => m.type === 'workflow_complete' && m.data.execution_id === id);
    const sent = live.messages.filter((m) => m.type === 'log' && m.data.execution_id === id);
    const record = srv.server.registry.get(id)!;
    expect(record.droppedLogs).toBeGreaterThan(0); // the record's own bound (500) dropped some too

    const { data } = await lateSnapshot('chatty');
    expect(data.logs).toHaveLength(SNAPSHOT_MAX_LOGS);
    expect(data.dropped_logs).toBe(sent.length - SNAPSHOT_MAX_LOGS);
    expect(data.logs.map((l: any) => l.message)).toEqual(sent.slice(-SNAPSHOT_MAX_LOGS).map((m) => m.data.message));
    expect(data.cancel_reason).toBeNull();
  });
});

/** The catch-up snapshots a joining client gets, in order; the last is what it shows. */
async function lateSnapshots(workflowId: string, count: number): Promise<any[]> {
  const c = await srv.connect(workflowId);
  const snapshots = () => c.messages.filter((m) => m.type === 'snapshot');
  await until(() => snapshots().length >= count);
  await new Promise((r) => setTimeout(r, 50)); // and no more
  snapshots().forEach(expectValidMessage);
  return snapshots().map((m) => [m.data.execution_id, m.data.run_state]);
}

describe('concurrent runs of one workflow', () => {
  it('a late joiner ends on the newest run, as a client connected all along does, after every other live run', async () => {
    const older = await srv.execute('long');
    const newer = await srv.execute('long');
    expect(older).not.toBe(newer);
    await running(older);
    await running(newer);
    // The older live run first, so the client files it as past: its messages never pass for a newer run's.
    expect(await lateSnapshots('long', 2)).toEqual([
      [older, 'running'],
      [newer, 'running'],
    ]);

    await post(`/api/workflows/long/executions/${newer}/cancel`);
    await until(() => srv.server.registry.get(newer)?.status === 'cancelled');
    expect(await lateSnapshots('long', 2)).toEqual([
      [older, 'running'],
      [newer, 'cancelled'],
    ]);

    await post(`/api/workflows/long/executions/${older}/cancel`);
    await until(() => srv.server.registry.get(older)?.status === 'cancelled');
    // Nothing live: the newest run alone.
    expect(await lateSnapshots('long', 1)).toEqual([[newer, 'cancelled']]);
  });
});

describe('catch-up bytes', () => {
  it('runs a late joiner will not show come as summaries: no log lines (all counted), results by result_ref', async () => {
    const older = await srv.execute('busy');
    const newer = await srv.execute('busy');
    await running(older);
    await running(newer);
    const c = await srv.connect('busy');
    await until(() => c.messages.filter((m) => m.type === 'snapshot').length >= 2);
    const [summary, shown] = c.messages.filter((m) => m.type === 'snapshot').map((m) => m.data);
    expect([summary.execution_id, shown.execution_id]).toEqual([older, newer]);

    expect(summary.logs).toEqual([]);
    expect(summary.dropped_logs).toBe(srv.server.registry.get(older)!.droppedLogs + srv.server.registry.get(older)!.logs.length);
    expect(summary.dropped_logs).toBeGreaterThanOrEqual(CHATTY_LINES);
    expect(summary.nodes.talk).toMatchObject({ status: 'completed', result: null, result_ref: expect.any(String) });
    expect(await (await fetch(srv.base + summary.nodes.talk.result_ref)).json()).toBe('said it all');
    // Still a whole account of the run's state: a client files it as past by it.
    expect(summary).toMatchObject({ run_state: 'running', execution_order: ['talk', 'wait'], started_at: expect.any(String) });

    expect(shown.logs).toHaveLength(SNAPSHOT_MAX_LOGS);
    expect(shown.nodes.talk.result).toBe('said it all');
    await post(`/api/workflows/busy/executions/${older}/cancel`);
    await post(`/api/workflows/busy/executions/${newer}/cancel`);
  });
});
