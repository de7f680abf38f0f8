// @vitest-environment node
import { expect, it } from 'vitest';
import { createBuiltinNodeTypes, createFlowpulseServer, isLiveStatus, sleep as abortableSleep } from 'flowpulse/server';
import { ReducingClient, sleep } from './recovery-helpers';

it('a client showing the newest (short) run, away while it finishes before older ones, comes back to it finished, not stale', async () => {
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
    const tab = new ReducingClient(`ws://127.0.0.1:${port}`, 'w');
    await tab.connect();
    await exec(400); await exec(400); await exec(400);
    const short = await exec(150);
    while (tab.state.executionId !== short) await sleep(5);
    tab.drop(); // network blip while `short` is live on screen
    while (server.registry.runs('w').some((r) => isLiveStatus(r.status))) await sleep(20);
    await tab.connect(); // reconnects with execution_id=short&last_seq=…
    await sleep(200);
    const newest = server.registry.runs('w').at(-1)!;
    expect({ id: tab.state.executionId, stale: tab.state.stale, status: tab.state.runStatus })
      .toEqual({ id: newest.executionId, stale: false, status: newest.status });
  } finally {
    await server.close();
  }
});
