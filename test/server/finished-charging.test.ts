// @vitest-environment node
/** What finished records are charged against executions.maxFinishedBytes: one large result does not push out other workflows' history. */
import { describe, expect, it } from 'vitest';
import { createBuiltinNodeTypes } from 'flowpulse/server';
import { serverPerFile, type TestServer } from './test-server';
import { until } from './ws-client';

const small = { id: 'keep', nodes: [{ id: 'a', type: 'start' }], edges: [] };

async function finish(srv: TestServer, workflowId: string): Promise<string> {
  const id = await srv.execute(workflowId);
  await until(() => srv.server.live.size === 0, 5000);
  return id;
}

const status = async (srv: TestServer, workflowId: string, id: string) =>
  (await fetch(`${srv.base}/api/workflows/${workflowId}/executions/${id}`)).status;

describe('numbers', () => {
  // 5,000 zeros: 10 KB of JSON and some 40 KB of heap; charged 64 bytes each they came to 330 KB a run.
  const srv = serverPerFile(() => ({
    nodeTypes: createBuiltinNodeTypes().register('numbers', () => Array(5_000).fill(0)),
    workflows: [small, { id: 'nums', nodes: [{ id: 'n', type: 'numbers' }], edges: [] }],
    executions: { maxFinishedBytes: 4 * 1024 * 1024 },
  }));

  it("are charged the slot they take, not an object's overhead: 14 numeric runs leave room for another workflow's record", async () => {
    const kept = await finish(srv, 'keep');
    for (let i = 0; i < 14; i++) await finish(srv, 'nums');
    expect(await status(srv, 'keep', kept)).toBe(200);
  });
});

describe('one huge result', () => {
  // 200,000 empty objects: some 13 MB by the per-object estimate, more than the whole budget.
  const srv = serverPerFile(() => ({
    nodeTypes: createBuiltinNodeTypes().register('objects', () => Array.from({ length: 200_000 }, () => ({}))),
    workflows: [small, { id: 'objs', nodes: [{ id: 'o', type: 'objects' }], edges: [] }],
    executions: { maxFinishedBytes: 10 * 1024 * 1024 },
  }));

  it("is charged at most an eighth of the budget, so it does not release every other workflow's history", async () => {
    const kept = await finish(srv, 'keep');
    const huge = await finish(srv, 'objs');
    expect(await status(srv, 'objs', huge)).toBe(200);
    expect(await status(srv, 'keep', kept)).toBe(200);
  });
});
