// @vitest-environment node
import { afterEach, describe, expect, it } from 'vitest';
import { createFlowpulseServer, type FlowpulseServer, type FlowpulseServerOptions, type WorkflowDefinition } from 'flowpulse/server';
import { until } from './ws-client';

/** One node that waits `ms` (abortably): a run stays live until cancelled. */
const waiting = (id: string, ms = 30_000): WorkflowDefinition => ({ id, nodes: [{ id: 'wait', type: 'delay', config: { ms } }] });

let server: FlowpulseServer | undefined;
let base = '';

async function start(options: FlowpulseServerOptions): Promise<FlowpulseServer> {
  server = createFlowpulseServer({ port: 0, ...options });
  base = (await server.listen()).url;
  return server;
}

afterEach(async () => {
  await server?.close();
  server = undefined;
});

const execute = async (workflowId: string) => {
  const res = await fetch(`${base}/api/workflows/${workflowId}/execute`, { method: 'POST' });
  // A browser page of another origin reads Retry-After only if the server exposes it.
  const exposed = res.headers.get('access-control-expose-headers')?.toLowerCase().split(/,\s*/) ?? [];
  return {
    status: res.status,
    retryAfter: exposed.includes('retry-after') ? res.headers.get('retry-after') : 'hidden from pages',
    json: await res.json(),
  };
};

const cancel = (workflowId: string, executionId: string) =>
  fetch(`${base}/api/workflows/${workflowId}/executions/${executionId}/cancel`, { method: 'POST' });

describe('live execution limits', () => {
  it('429 with Retry-After past the per-workflow and the server-wide limit; a finished run frees its slot', async () => {
    const s = await start({
      workflows: [waiting('a'), waiting('b'), waiting('c')],
      maxLiveExecutions: 2,
      maxLiveExecutionsPerWorkflow: 1,
    });
    const first = await execute('a');
    expect(first.status).toBe(202);
    expect(await execute('a')).toEqual({
      status: 429,
      retryAfter: '5',
      json: { error: 'too many live executions (limit 1)', limit: 1, scope: 'workflow' },
    });
    expect((await execute('b')).status).toBe(202);
    expect(await execute('c')).toEqual({
      status: 429,
      retryAfter: '5',
      json: { error: 'too many live executions (limit 2)', limit: 2, scope: 'server' },
    });
    expect(s.live.size).toBe(2); // refused requests started nothing
    expect(s.registry.list('c')).toEqual([]);

    expect((await cancel('a', first.json.execution_id)).status).toBe(200);
    await until(() => s.live.size === 1);
    expect((await execute('c')).status).toBe(202);
  });

  it('defaults to 20 live runs per workflow, concurrent runs of one workflow allowed up to that', async () => {
    const s = await start({ workflows: [waiting('busy'), waiting('other')] });
    for (let i = 0; i < 20; i++) expect((await execute('busy')).status).toBe(202);
    expect((await execute('busy')).json).toMatchObject({ limit: 20, scope: 'workflow' });
    expect((await execute('other')).status).toBe(202);
    expect(s.live.size).toBe(21);
  });

  it('rejects limits that are not integers ≥ 1 at creation', () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      expect(() => createFlowpulseServer({ maxLiveExecutions: bad })).toThrow(RangeError);
      expect(() => createFlowpulseServer({ maxLiveExecutionsPerWorkflow: bad })).toThrow(/maxLiveExecutionsPerWorkflow/);
    }
    expect(() => createFlowpulseServer({ maxLiveExecutions: Infinity })).not.toThrow();
  });
});

describe('delay nodes', () => {
  it('the longest allowed delay (10 min) still cancels at once; longer ones fail the node', async () => {
    const s = await start({ workflows: [waiting('max', 600_000), waiting('over', 600_001)] });
    const { json } = await execute('max');
    await until(() => s.registry.get(json.execution_id)?.nodes.wait?.status === 'running');
    const handle = s.live.get(json.execution_id)!; // gone from `live` once cancelled
    const t0 = performance.now();
    await cancel('max', json.execution_id);
    const record = await handle.done;
    expect(performance.now() - t0).toBeLessThan(500);
    expect(record.status).toBe('cancelled');

    const over = (await execute('over')).json.execution_id;
    await until(() => s.registry.get(over)?.status === 'failed');
    expect(s.registry.get(over)!.nodes.wait!.error).toBe('config.ms must be a number between 0 and 600000, got 600001');
  });
});
