// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import WebSocket from 'ws';
import { createWorkflowClient, type WorkflowClient, type WorkflowState } from 'flowpulse';
import {
  createBuiltinNodeTypes,
  createFlowpulseServer,
  sleep as abortableSleep,
  type FlowpulseServer,
  type WorkflowDefinition,
} from 'flowpulse/server';
import { recordView, seededRandom, sleep, stateView } from '../server/recovery-helpers';

import { ChaosProxy } from './chaos-proxy';

// ---------------------------------------------------------------- workflows
function nodeTypes() {
  return createBuiltinNodeTypes().register('chatty', async ({ config, log, signal, node, inputs }) => {
    const lines = Number(config.lines ?? 3);
    const scale = Number((inputs.initial_inputs as { scale?: number }).scale ?? 1);
    for (let i = 0; i < lines; i++) {
      await abortableSleep((scale * Number(config.ms ?? 20)) / Math.max(1, lines), signal);
      log(`${node.id}: line ${i + 1}/${lines}`, i % 5 === 4 ? 'warning' : 'info');
    }
    if (config.fail) throw new Error(`${node.id} exploded`);
    return { node: node.id, lines };
  });
}

function randomWorkflow(id: string, rng: () => number): WorkflowDefinition {
  const nodes: WorkflowDefinition['nodes'] = [{ id: 'start', type: 'start' }];
  const edges: NonNullable<WorkflowDefinition['edges']> = [];
  const branches = 1 + Math.floor(rng() * 3);
  const ends: string[] = [];
  for (let b = 1; b <= branches; b++) {
    let prev = 'start';
    const depth = 1 + Math.floor(rng() * 3);
    for (let k = 1; k <= depth; k++) {
      const nid = `b${b}n${k}`;
      nodes.push({ id: nid, type: 'chatty', config: { ms: 10 + Math.round(rng() * 60), lines: Math.floor(rng() * 5) } });
      edges.push({ id: `${prev}->${nid}`, source: prev, target: nid });
      prev = nid;
    }
    ends.push(prev);
  }
  nodes.push({ id: 'join', type: 'merge' });
  for (const e of ends) edges.push({ source: e, target: 'join' });
  const fail = rng() < 0.3;
  nodes.push({ id: 'final', type: 'chatty', config: { ms: 15, lines: 2, fail } });
  edges.push({ source: 'join', target: 'final' });
  return { id, name: id, nodes, edges };
}

// ---------------------------------------------------------------- harness
const HB_INTERVAL = 60;
const HB_TIMEOUT = 120;

let server: FlowpulseServer;
const totals = { reconnects: 0 };
let base = '';
let proxy: ChaosProxy;

beforeAll(async () => {
  server = createFlowpulseServer({ port: 0, nodeTypes: nodeTypes(), maxConcurrency: 3 });
  const { url, port } = await server.listen();
  base = url;
  proxy = new ChaosProxy(port);
  await proxy.listen();
});
afterAll(async () => {
  await proxy?.close();
  await server?.close();
});

async function execute(workflowId: string, scale = 1): Promise<string> {
  const r = await fetch(`${base}/api/workflows/${encodeURIComponent(workflowId)}/execute`, {
    method: 'POST',
    body: JSON.stringify({ initial_inputs: { scale } }),
  });
  if (r.status !== 202) throw new Error(`execute ${r.status}`);
  return (await r.json()).execution_id;
}

const SCALES = process.env.CHAOS_SCALES !== '0';
const CONTROL = process.env.CHAOS_CONTROL !== '0';
async function control(wf: string, id: string, action: string) {
  await fetch(`${base}/api/workflows/${wf}/executions/${id}/${action}`, { method: 'POST' }).catch(() => {});
}

function client(workflowId: string, port: number, rng: () => number, chaos: boolean): WorkflowClient {
  return createWorkflowClient({
    workflowId,
    baseUrl: `ws://127.0.0.1:${port}`,
    WebSocket: WebSocket as any,
    batch: 'microtask',
    stalledAfterMs: 0,
    ...(chaos
      ? {
          heartbeatIntervalMs: HB_INTERVAL,
          heartbeatTimeoutMs: HB_TIMEOUT,
          connectTimeoutMs: 400,
          reconnect: { initialDelayMs: 10, maxDelayMs: 150, stableAfterMs: 300, random: rng },
          // exercise the token path (async) with a random delay: a reconnect may race it
          token: () => new Promise<string | null>((r) => setTimeout(() => r(null), rng() * 30)),
          protocols: [],
        }
      : {}),
  });
}

async function until(pred: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return true;
    await sleep(10);
  }
  return pred();
}

function problemsOf(s: WorkflowState, lastId: string): string[] {
  const out: string[] = [];
  const record = server.registry.get(lastId)!;
  if (s.executionId !== lastId) out.push(`executionId ${s.executionId} != latest ${lastId}`);
  if (s.stale) out.push('stale set');
  if (s.progress !== 100) out.push(`progress ${s.progress}`);
  const running = Object.entries(s.nodeStatuses).filter(([, n]) => n.status === 'running');
  if (running.length) out.push(`running nodes ${running.map(([k]) => k)}`);
  const errs = s.errors.map((e) => `${e.nodeId}:${e.message}`);
  if (new Set(errs).size !== errs.length) out.push(`duplicate errors ${errs}`);
  const logs = s.logs.map((l) => l.message + '@' + l.time);
  if (new Set(logs).size !== logs.length) out.push('duplicate log lines');
  if (record) {
    try {
      expect(stateView(s)).toEqual(recordView(record));
    } catch (e) {
      out.push(`differs from record: ${String((e as Error).message).slice(0, 1500)}`);
    }
  }
  return out;
}

async function iteration(seed: number): Promise<{ failures: string[]; runs: number }> {
  const rng = seededRandom(seed);
  const wf = `chaos-${seed}`;
  server.workflows.put(randomWorkflow(wf, rng));
  const ref = client(wf, (server.httpServer.address() as net.AddressInfo).port, rng, false);
  const chaos = client(wf, proxy.port, seededRandom(seed * 7919 + 1), true);
  const relRef = ref.mount();
  const relChaos = chaos.mount();
  const trace: string[] = [];
  chaos.listen({
    onStateChange: (st) => trace.push(`[${st.status}]`),
    onMessage: (m) => {
      if (m.type === 'pong' || m.type === 'metrics') return;
      const d = m.data as { execution_id?: string | null };
      const k = d.execution_id ? ids.indexOf(d.execution_id) : -9;
      if (m.type === 'snapshot' || m.type === 'workflow_start' || m.type === 'workflow_complete' || trace.at(-1)?.startsWith('['))
        trace.push(`${m.type}#${k}@${m.seq}`);
    },
  });
  chaos.listen({ onStateChange: (st) => st.status === 'reconnecting' && st.nextRetryAt !== null && totals.reconnects++ });
  await until(() => ref.store.getState().connection.status === 'open' && chaos.store.getState().connection.status === 'open', 2000);

  let striking = true;
  const chaosLoop = (async () => {
    while (striking) {
      await sleep(15 + rng() * 120);
      if (striking) proxy.strike(rng, HB_TIMEOUT);
    }
  })();

  const ids: string[] = [];
  const nRuns = 1 + Math.floor(rng() * 3);
  const blackoutRun = nRuns > 1 && rng() < 0.6 ? nRuns - 1 : -1;
  for (let r = 0; r < nRuns; r++) {
    if (r === blackoutRun) {
      // a new run starts (and maybe ends) while the client cannot connect at all
      proxy.blackout = true;
      proxy.destroyAll();
      await sleep(20);
      ids.push(await execute(wf, SCALES ? 0.3 + rng() * 2.7 : 1));
      const newId = ids.at(-1)!;
      // half the time the new run also finishes before the client can come back
      if (rng() < 0.5) await until(() => !['running', 'paused'].includes(server.registry.get(newId)?.status as string), 5000);
      else await sleep(rng() * 500);
      proxy.blackout = false;
    } else {
      ids.push(await execute(wf, SCALES ? 0.3 + rng() * 2.7 : 1));
    }
    const id = ids.at(-1)!;
    const ctl = rng();
    if (CONTROL && ctl < 0.25) {
      // pause, then resume later (maybe while disconnected)
      void (async () => {
        await sleep(rng() * 150);
        await control(wf, id, 'pause');
        await sleep(rng() * 300);
        await control(wf, id, 'resume');
      })();
    } else if (CONTROL && ctl < 0.4) {
      void (async () => {
        await sleep(rng() * 300);
        await control(wf, id, 'cancel');
      })();
    }
    // the next run may start while this one is still going (concurrent runs)
    await sleep(rng() * 400);
  }
  await Promise.all(ids.map((id) => until(() => !['running', 'paused'].includes(server.registry.get(id)?.status as string), 10_000)));
  await sleep(rng() * 200);
  striking = false;
  await chaosLoop;
  proxy.blackout = false;

  const lastId = ids.at(-1)!;
  const converged = await until(() => {
    const s = chaos.store.getState();
    const rec = server.registry.get(lastId)!;
    return s.connection.status === 'open' && s.executionId === lastId && s.lastSeq === rec.lastSeq;
  }, 3000);
  await sleep(30);
  const failures: string[] = [];
  const refProblems = problemsOf(ref.store.getState(), lastId);
  if (refProblems.length) failures.push(`seed ${seed} REFERENCE client: ${refProblems.join(' | ')}`);
  const p = problemsOf(chaos.store.getState(), lastId);
  if (!converged) p.unshift(`did not converge (conn ${chaos.store.getState().connection.status}, exec ${chaos.store.getState().executionId}, lastSeq ${chaos.store.getState().lastSeq})`);
  if (p.length) {
    const shown = chaos.store.getState().executionId;
    const recs = ids.map((id) => server.registry.get(id)!);
    p.unshift(
      `shown run #${ids.indexOf(shown!)}; runs: ${recs.map((r, i) => `#${i} ${r.status} ${r.startedAt.slice(17)}-${r.finishedAt?.slice(17)}`).join(', ')}; joined ${chaos.store.getState().joined}; order ${JSON.stringify(chaos.store.getState().executionOrder)}; trace ${trace.slice(-12).join(' ')}`,
    );
    failures.push(`seed ${seed} (runs ${ids.length}, blackout ${blackoutRun}): ${p.join(' | ')}`);
  }
  relRef();
  relChaos();
  chaos.destroy();
  ref.destroy();
  return { failures, runs: ids.length };
}

describe('chaos: lossless across reconnects', () => {
  it('many seeded iterations through a misbehaving proxy', async () => {
    const first = Number(process.env.CHAOS_SEED ?? 1);
    // A quick pass by default; CHAOS_ITER=90 (about 75 s) for a longer hunt, CHAOS_SEED=n to replay one.
    const count = Number(process.env.CHAOS_ITER ?? 12);
    const failures: string[] = [];
    let runs = 0;
    const t0 = Date.now();
    for (let seed = first; seed < first + count; seed++) {
      const r = await iteration(seed);
      runs += r.runs;
      failures.push(...r.failures);
      if (Date.now() - t0 > 100_000) break;
    }
    const summary = `${count} iterations, ${runs} runs, ${Date.now() - t0} ms, proxy ${JSON.stringify(proxy.stats)}, client reconnects ${totals.reconnects}`;
    expect(failures, summary).toEqual([]);
    // The proxy did strike: a pass with no disconnects would prove nothing.
    expect(proxy.stats.destroys + proxy.stats.longPauses, summary).toBeGreaterThan(0);
    expect(totals.reconnects, summary).toBeGreaterThan(0);
  }, 180_000);
});
