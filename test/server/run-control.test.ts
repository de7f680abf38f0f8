// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { createInitialState, reduceWorkflow } from 'flowpulse';
import { createWorkflowControl } from 'flowpulse/control';
import type { ExecutionMessage } from 'flowpulse/protocol';
import { createBuiltinNodeTypes, sleep } from 'flowpulse/server';
import { chain, expectSeqFromOne, expectValidMessage, trace } from './helpers';
import { serverPerFile } from './test-server';
import { until, type TestClient } from './ws-client';

const aborted: string[] = [];

async function post(path: string): Promise<{ status: number; json: any }> {
  const r = await fetch(srv.base + path, { method: 'POST' });
  return { status: r.status, json: await r.json() };
}

const control = (workflowId: string, executionId: string, action: string) =>
  post(`/api/workflows/${workflowId}/executions/${executionId}/${action}`);
const ofExecution = (c: TestClient, id: string): ExecutionMessage[] =>
  c.messages.filter((m) => m.data?.execution_id === id && m.type !== 'snapshot');
const completeOf = (id: string) => (m: any) => m.type === 'workflow_complete' && m.data.execution_id === id;
const runningOf = (node: string) => (m: any) => m.type === 'node_status' && m.data.node_id === node && m.data.status === 'running';

const srv = serverPerFile(() => {
  const nodeTypes = createBuiltinNodeTypes().register('watch', async ({ config, signal, node }) => {
    try {
      await sleep(Number(config.ms), signal);
    } catch (e) {
      aborted.push(node.id);
      throw e;
    }
    return node.id;
  });
  return {
    nodeTypes,
    workflows: [
      chain('steps', 4, 80),
      { id: 'long', nodes: [{ id: 'wait', type: 'watch', config: { ms: 30_000 } }] },
      chain('quick', 1, 1),
    ],
  };
});

describe('pause, resume, cancel over REST', () => {
  it('pause lets the running node finish and starts nothing new; resume continues; paused time is not counted', async () => {
    const c = await srv.connect('steps');
    const id = await srv.execute('steps');
    await c.waitFor(runningOf('n1'));
    const t0 = Date.now();
    expect(await control('steps', id, 'pause')).toEqual({ status: 200, json: { execution_id: id, state: 'paused' } });
    expect((await control('steps', id, 'pause')).status).toBe(409);
    await c.waitFor((m) => m.type === 'node_status' && m.data.node_id === 'n1' && m.data.status === 'completed');
    await sleep(250);
    expect(c.messages.some(runningOf('n2'))).toBe(false);
    expect(srv.server.registry.get(id)!.status).toBe('paused');

    // A late joiner sees the pause in the snapshot.
    const late = await srv.connect('steps');
    await late.waitFor((m) => m.type === 'snapshot');
    expect(late.messages[0].data).toMatchObject({ execution_id: id, run_state: 'paused', nodes: { n1: { status: 'completed' } } });

    const resumed = await control('steps', id, 'resume');
    const pausedMs = Date.now() - t0;
    expect(resumed).toEqual({ status: 200, json: { execution_id: id, state: 'running' } });
    expect((await control('steps', id, 'resume')).status).toBe(409);
    await c.waitFor(completeOf(id));
    const msgs = ofExecution(c, id);
    msgs.forEach(expectValidMessage);
    expectSeqFromOne(msgs);
    const t = trace(msgs);
    const paused = t.indexOf('run_state');
    const running = t.lastIndexOf('run_state');
    expect(msgs[paused]!.data).toMatchObject({ state: 'paused', reason: null });
    expect(msgs[running]!.data).toMatchObject({ state: 'running' });
    expect(t.indexOf('node_status:n1:completed')).toBeGreaterThan(paused);
    expect(t.indexOf('node_status:n2:running')).toBeGreaterThan(running);
    const complete = msgs.at(-1)!;
    expect(complete).toMatchObject({ type: 'workflow_complete', data: { success: true, errors: [] } });
    // Four 80 ms nodes: about 0.32 s of work, however long it was paused.
    expect(complete.type === 'workflow_complete' && complete.data.execution_time).toBeLessThan(0.32 + pausedMs / 1000 - 0.15);
    // ...and no less: n1 was still working after the pause, and that time counts.
    expect(complete.type === 'workflow_complete' && complete.data.execution_time).toBeGreaterThanOrEqual(0.31);
    let state = createInitialState('steps');
    const seen: string[] = [];
    for (const m of msgs) {
      state = reduceWorkflow(state, m);
      if (seen.at(-1) !== state.runStatus) seen.push(state.runStatus);
    }
    expect(seen).toEqual(['running', 'paused', 'running', 'completed']);
    expect((await control('steps', id, 'pause')).json).toEqual({
      error: 'cannot pause an execution that is completed',
      state: 'completed',
    });
  });

  it('cancel aborts a long node promptly: run_state cancelled, then workflow_complete with the reason', async () => {
    const c = await srv.connect('long');
    const id = await srv.execute('long');
    await c.waitFor(runningOf('wait'));
    const t0 = performance.now();
    expect(await control('long', id, 'cancel')).toEqual({ status: 200, json: { execution_id: id, state: 'cancelled' } });
    await c.waitFor(completeOf(id));
    expect(performance.now() - t0).toBeLessThan(500);
    await until(() => aborted.includes('wait'));
    const msgs = ofExecution(c, id);
    msgs.forEach(expectValidMessage);
    expectSeqFromOne(msgs);
    expect(trace(msgs).slice(-6)).toEqual([
      'run_state',
      'error',
      'log:warning',
      'node_status:wait:error',
      'log:warning',
      'workflow_complete',
    ]);
    expect(msgs.find((m) => m.type === 'run_state')!.data).toMatchObject({ state: 'cancelled', reason: 'cancelled by user' });
    expect(msgs.at(-1)!.data).toMatchObject({ success: false, errors: ['Execution cancelled: cancelled by user'] });
    const state = msgs.reduce((s, m) => reduceWorkflow(s, m), createInitialState('long'));
    expect(state).toMatchObject({ runStatus: 'cancelled', cancelReason: 'cancelled by user', success: false, progress: 100 });
    expect(state.nodeStatuses.wait).toMatchObject({ status: 'error', error: 'cancelled: cancelled by user' });
    expect(srv.server.registry.get(id)).toMatchObject({ status: 'cancelled', nodes: { wait: { status: 'error' } } });
    for (const action of ['pause', 'resume', 'cancel']) expect((await control('long', id, action)).status).toBe(409);
  });

  it('cancels a paused run', async () => {
    const id = await srv.execute('steps');
    await until(() => srv.server.registry.get(id)?.nodes.n1?.status === 'running');
    expect((await control('steps', id, 'pause')).status).toBe(200);
    expect(await control('steps', id, 'cancel')).toEqual({ status: 200, json: { execution_id: id, state: 'cancelled' } });
    const record = await srv.server.live.get(id)?.done;
    expect((record ?? srv.server.registry.get(id))!.status).toBe('cancelled');
  });

  it('404 for unknown executions or workflows, 405 for GET, 409 once finished', async () => {
    expect(await control('steps', 'nope', 'pause')).toEqual({
      status: 404,
      json: { error: 'unknown execution "nope" of workflow "steps"' },
    });
    const id = await srv.execute('quick');
    expect((await control('steps', id, 'cancel')).status).toBe(404); // another workflow's run
    await until(() => srv.server.registry.get(id)?.status === 'completed');
    expect((await control('quick', id, 'cancel')).status).toBe(409);
    expect((await fetch(`${srv.base}/api/workflows/quick/executions/${id}/pause`)).status).toBe(405);
    expect((await control('quick', id, 'explode')).status).toBe(404);
  });

  it('the client control API drives the server', async () => {
    const api = createWorkflowControl({ workflowId: 'steps', apiBaseUrl: srv.base });
    const started = await api.execute({ who: 'ada' });
    expect(started).toMatchObject({ ok: true, status: 202 });
    if (!started.ok) throw new Error(started.error);
    const id = started.data.execution_id; // `ok` narrows: no `!` needed
    await until(() => srv.server.registry.get(id)?.nodes.n1?.status === 'running');
    expect(await api.act(id, 'pause')).toMatchObject({ ok: true, data: { state: 'paused' } });
    expect(await api.act(id, 'pause')).toMatchObject({ ok: false, status: 409, error: 'cannot pause an execution that is paused' });
    expect(await api.act(id, 'resume')).toMatchObject({ ok: true, data: { state: 'running' } });
    expect(await api.act(id, 'cancel')).toMatchObject({ ok: true, data: { state: 'cancelled' } });
  });
});
