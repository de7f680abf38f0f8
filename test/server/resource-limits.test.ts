// @vitest-environment node
/**
 * Requests that are small on the wire but expensive in memory: each must get
 * a clear refusal (or fail its own run) while the server keeps serving.
 */
import { describe, expect, it } from 'vitest';
import { serverPerFile } from './test-server';
import { until } from './ws-client';

const srv = serverPerFile(() => ({
  workflows: [{ id: 'one', nodes: [{ id: 'a', type: 'start' }], edges: [] }],
}));

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${srv.base}/api${path}`, { ...init, headers: { 'Content-Type': 'application/json', ...init.headers } });

async function finished(workflowId: string, executionId: string) {
  let record: any;
  await until(() => {
    void api(`/workflows/${workflowId}/executions/${executionId}`)
      .then((r) => r.json())
      .then((r) => (record = r));
    return record !== undefined && record.status !== 'running';
  }, 10_000);
  return record;
}

describe('templates', () => {
  it('a template repeating {{node}} (its own definition) fails its node instead of growing without bound', async () => {
    const template = '{{node}}'.repeat(400); // 400 copies of a 3 KB definition: 1.3 MB
    const put = await api('/workflows/tmpl', {
      method: 'PUT',
      body: JSON.stringify({ nodes: [{ id: 't', type: 'transform', config: { template } }], edges: [] }),
    });
    expect(put.status).toBe(201);
    const record = await finished('tmpl', await srv.execute('tmpl'));
    expect(record.status).toBe('failed');
    expect(record.nodes.t.error).toBe('rendered template longer than 1048576 characters');
    expect((await api('/health')).status).toBe(200);
  });
});
