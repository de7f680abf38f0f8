// @vitest-environment node
import { expect, it } from 'vitest';
import { createInitialState } from 'flowpulse';
import { createBuiltinNodeTypes, createFlowpulseServer, isLiveStatus, sleep as abortableSleep } from 'flowpulse/server';
import { ReducingClient, sleep } from './recovery-helpers';

it('the run started last is kept when it finished before older runs: a reload shows what an open tab shows', async () => {
  const nodeTypes = createBuiltinNodeTypes().register('wait', async ({ inputs, signal }) => {
    await abortableSleep(Number((inputs.initial_inputs as any).ms), signal);
    return 1;
  });
  const server = createFlowpulseServer({
    port: 0, nodeTypes, workflows: [{ id: 'w', nodes: [{ id: 'a', type: 'wait' }] }],
    executions: { maxFinishedPerWorkflow: 3 },
  });
  const { url, port } = await server.listen();
  const exec = async (ms: number) =>
    (await (await fetch(`${url}/api/workflows/w/execute`, { method: 'POST', body: JSON.stringify({ initial_inputs: { ms } }) })).json()).execution_id as string;
  try {
    const allAlong = new ReducingClient(`ws://127.0.0.1:${port}`, 'w');
    await allAlong.connect();
    await exec(300); await exec(300); await exec(300);
    const newest = await exec(10); // started last, finishes first
    while (server.registry.runs('w').some((r) => isLiveStatus(r.status))) await sleep(20);
    await sleep(50);
    expect(allAlong.state.executionId).toBe(newest); // the tab open all along shows the last run started
    const fresh = new ReducingClient(`ws://127.0.0.1:${port}`, 'w'); // a page reload
    fresh.state = createInitialState('w');
    await fresh.connect();
    await sleep(100);
    expect(server.registry.get(newest)).toBeDefined();
    expect(fresh.state.executionId).toBe(allAlong.state.executionId);
  } finally {
    await server.close();
  }
});
