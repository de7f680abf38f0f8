// @vitest-environment node
/** The run a workflow's clients show, the one started last, when it finishes before older runs. */
import { describe, expect, it } from 'vitest';
import { createInitialState } from 'flowpulse';
import { createBuiltinNodeTypes, createFlowpulseServer, isLiveStatus, sleep as abortableSleep } from 'flowpulse/server';
import { ReducingClient, sleep } from './recovery-helpers';
import { serverPerFile } from './test-server';

const srv = serverPerFile(() => ({
  nodeTypes: createBuiltinNodeTypes().register('wait', async ({ inputs, signal }) => {
    await abortableSleep(Number((inputs.initial_inputs as { ms: number }).ms), signal);
    return 1;
  }),
  workflows: ['kept', 'away'].map((id) => ({ id, nodes: [{ id: 'a', type: 'wait' }] })),
  executions: { maxFinishedPerWorkflow: 3 },
}));

const exec = async (wf: string, ms: number) =>
  (await (await fetch(`${srv.base}/api/workflows/${wf}/execute`, { method: 'POST', body: JSON.stringify({ initial_inputs: { ms } }) })).json())
    .execution_id as string;
const settled = async (wf: string) => {
  while (srv.server.registry.runs(wf).some((r) => isLiveStatus(r.status))) await sleep(20);
};

describe('the run started last, finished before older runs', () => {
  it('is kept: a reload shows what an open tab shows', async () => {
    const allAlong = new ReducingClient(srv.wsBase, 'kept');
    await allAlong.connect();
    await exec('kept', 300);
    await exec('kept', 300);
    await exec('kept', 300);
    const newest = await exec('kept', 10); // started last, finishes first
    await settled('kept');
    await sleep(50);
    expect(allAlong.state.executionId).toBe(newest);
    const fresh = new ReducingClient(srv.wsBase, 'kept'); // a page reload
    fresh.state = createInitialState('kept');
    await fresh.connect();
    await sleep(100);
    expect(srv.server.registry.get(newest)).toBeDefined();
    expect(fresh.state.executionId).toBe(allAlong.state.executionId);
    allAlong.drop();
    fresh.drop();
  });

  it('a client away while it finished comes back to it finished, not stale', async () => {
    const tab = new ReducingClient(srv.wsBase, 'away');
    await tab.connect();
    await exec('away', 400);
    await exec('away', 400);
    await exec('away', 400);
    const short = await exec('away', 150);
    while (tab.state.executionId !== short) await sleep(5);
    tab.drop(); // a network blip while `short` is live on screen
    await settled('away');
    await tab.connect(); // with execution_id=short&last_seq=…
    await sleep(200);
    const newest = srv.server.registry.runs('away').at(-1)!;
    expect({ id: tab.state.executionId, stale: tab.state.stale, status: tab.state.runStatus }).toEqual({
      id: newest.executionId,
      stale: false,
      status: newest.status,
    });
    tab.drop();
  });
});
