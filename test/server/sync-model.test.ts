// @vitest-environment node
/**
 * Model-based test of catch-up: random executes (short, long, failing), pause/resume/cancel,
 * clients joining, leaving, reconnecting with their position (or a stale or unknown one),
 * reloading and stalling, against a real server with small limits; once quiet, every client shows
 * the newest run, equal to the server's record. SEEDS and STEPS tune a longer hunt.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createInitialState, createWorkflowClient, reduceWorkflow, type WorkflowClient, type WorkflowState } from 'flowpulse';
import type { ServerMessage } from 'flowpulse/protocol';
import {
  createBuiltinNodeTypes,
  createFlowpulseServer,
  isLiveStatus,
  sleep as abortableSleep,
  type FlowpulseServer,
} from 'flowpulse/server';
import { recordView, seededRandom, sleep, stateView } from './recovery-helpers';
import { openClient, type TestClient } from './ws-client';

const WF = 'm';
function nodeTypes() {
  return createBuiltinNodeTypes().register('step', async ({ inputs, log, signal, node }) => {
    const init = inputs.initial_inputs as { ms?: number; lines?: number; fail?: string; pad?: number };
    const pad = 'x'.repeat(Number(init.pad ?? 0));
    const lines = Number(init.lines ?? 2);
    for (let i = 0; i < lines; i++) {
      await abortableSleep(Number(init.ms ?? 20) / lines, signal);
      log(`${node.id}: ${i + 1}/${lines}${pad}`);
    }
    if (init.fail === node.id) throw new Error(`boom at ${node.id}`);
    return { node: node.id };
  });
}
const def = {
  id: WF,
  nodes: [
    { id: 'a', type: 'step' },
    { id: 'b', type: 'step' },
    { id: 'c', type: 'step' },
    { id: 'd', type: 'step' },
  ],
  edges: [
    { source: 'a', target: 'b' },
    { source: 'a', target: 'c' },
    { source: 'b', target: 'd' },
    { source: 'c', target: 'd' },
  ],
};

/** A raw-socket client through the real reducer; reconnects send the position its state holds (or an override). */
class RC {
  state: WorkflowState = createInitialState(WF);
  sock: TestClient | undefined;
  paused = false;
  readonly notes: string[] = [];
  constructor(
    readonly name: string,
    readonly base: string,
  ) {}
  url(over?: { executionId?: string; lastSeq?: number | null }): string {
    const executionId = over?.executionId ?? this.state.executionId;
    const lastSeq = over && 'lastSeq' in over ? over.lastSeq : this.state.lastSeq;
    const q =
      executionId === null || executionId === undefined
        ? ''
        : `?execution_id=${encodeURIComponent(executionId)}` + (lastSeq == null ? '' : `&last_seq=${lastSeq}`);
    return `${this.base}/api/ws/workflow/${WF}${q}`;
  }
  async connect(over?: { executionId?: string; lastSeq?: number | null }) {
    this.drop();
    const c = await openClient(this.url(over), {
      onMessage: (text) => {
        const m = JSON.parse(text) as ServerMessage;
        const s = this.state;
        if (
          m.type !== 'pong' &&
          m.type !== 'metrics' &&
          m.type !== 'snapshot' &&
          m.seq !== undefined &&
          m.data.execution_id === s.executionId &&
          s.lastSeq !== null &&
          m.seq > s.lastSeq + 1
        )
          this.notes.push(`${this.name}: gap ${m.type} seq ${m.seq} after ${s.lastSeq} (${m.data.execution_id})`);
        this.state = reduceWorkflow(this.state, m);
      },
    });
    c.ws.on('close', (code: number) => {
      if (this.sock !== c) return;
      this.sock = undefined;
      // as the real client: reconnect with its position after a server-side close
      if (code === 1013)
        setTimeout(() => {
          if (!this.sock) this.connect().catch(() => {});
        }, 20);
    });
    this.sock = c;
    this.paused = false;
  }
  drop() {
    this.sock?.ws.terminate();
    this.sock = undefined;
    this.paused = false;
  }
  stopReading() {
    const raw = (this.sock?.ws as any)?._socket;
    if (raw) {
      raw.pause();
      this.paused = true;
    }
  }
  resumeReading() {
    const raw = (this.sock?.ws as any)?._socket;
    raw?.resume();
    this.paused = false;
  }
}

let server: FlowpulseServer;
let base = '';
let wsBase = '';
beforeAll(async () => {
  server = createFlowpulseServer({
    port: 0,
    nodeTypes: nodeTypes(),
    workflows: [def],
    replay: { maxMessages: 10 },
    executions: { maxFinishedPerWorkflow: 3 },
    maxLiveExecutionsPerWorkflow: 4,
    connections: { maxBufferedBytes: 65536, slowConsumerGraceMs: 200 },
  });
  const l = await server.listen();
  base = l.url;
  wsBase = `ws://127.0.0.1:${l.port}`;
});
afterAll(async () => {
  await server.close();
});

let lastStatus = '';
async function execute(inputs: object): Promise<string | undefined> {
  const r = await fetch(`${base}/api/workflows/${WF}/execute`, { method: 'POST', body: JSON.stringify({ initial_inputs: inputs }) });
  if (r.status !== 202) {
    lastStatus = r.status + ' ' + (await r.text()).slice(0, 80);
    return undefined;
  }
  return (await r.json()).execution_id;
}
async function control(id: string, action: string) {
  await fetch(`${base}/api/workflows/${WF}/executions/${id}/${action}`, { method: 'POST' }).catch(() => {});
}

function problems(name: string, s: WorkflowState, ref: WorkflowState | undefined): string[] {
  const out: string[] = [];
  const runs = server.registry.runs(WF);
  const newest = runs.at(-1);
  const rec = s.executionId ? server.registry.get(s.executionId) : undefined;
  if (newest && s.executionId !== newest.executionId)
    out.push(
      `${name}: shows ${s.executionId?.slice(0, 8)} (${rec ? rec.status : 'unknown to server'}) not newest ${newest.executionId.slice(0, 8)}`,
    );
  if (ref && s.executionId !== ref.executionId)
    out.push(`${name}: shows ${s.executionId?.slice(0, 8)} but all-along shows ${ref.executionId?.slice(0, 8)}`);
  if (s.stale && rec) out.push(`${name}: stale although server knows ${s.executionId}`);
  if (rec) {
    const a = stateView(s);
    const b = recordView(rec);
    for (const k of Object.keys(b) as (keyof typeof b)[]) {
      if (JSON.stringify(a[k]) !== JSON.stringify(b[k]))
        out.push(`${name}: ${k} differs: client ${JSON.stringify(a[k]).slice(0, 300)} server ${JSON.stringify(b[k]).slice(0, 300)}`);
    }
    if (s.droppedLogs !== rec.droppedLogs) out.push(`${name}: droppedLogs ${s.droppedLogs} vs ${rec.droppedLogs}`);
    const seqs = s.logs.map((l) => l.seq);
    if (new Set(seqs).size !== seqs.length) out.push(`${name}: duplicate log seqs`);
  }
  if (s.runStatus !== 'running' && s.runStatus !== 'paused') {
    const running = Object.entries(s.nodeStatuses).filter(([, n]) => n.status === 'running');
    if (running.length) out.push(`${name}: running nodes ${running.map(([k]) => k)} after run ended (${s.runStatus})`);
  }
  return out;
}

async function until(pred: () => boolean, ms: number) {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end) await sleep(10);
  return pred();
}

const SEEDS = (process.env.SEEDS ?? '1,2,3,4,5,6').split(',').map(Number);
const STEPS = Number(process.env.STEPS ?? 60);

describe('model-based sync', () => {
  for (const seed of SEEDS) {
    it(`seed ${seed}`, async () => {
      const rng = seededRandom(seed);
      const pick = <T>(xs: T[]) => xs[Math.floor(rng() * xs.length)]!;
      const ref = new RC('ref', wsBase);
      await ref.connect();
      const clients = [0, 1, 2, 3].map((i) => new RC(`c${i}`, wsBase));
      for (const c of clients) await c.connect();
      const real: WorkflowClient = createWorkflowClient({
        workflowId: WF,
        baseUrl: wsBase,
        WebSocket: WebSocket as any,
        batch: 'microtask',
        stalledAfterMs: 0,
        reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
      } as any);
      const release = real.mount();
      const ids: string[] = [];
      const log: string[] = [];
      try {
        for (let step = 0; step < STEPS; step++) {
          const r = rng();
          const c = pick(clients);
          if (r < 0.2) {
            const long = rng() < 0.4;
            const inputs: any = {
              ms: long ? 200 + Math.floor(rng() * 300) : 10 + Math.floor(rng() * 30),
              lines: 1 + Math.floor(rng() * 4),
            };
            if (rng() < 0.3) inputs.pad = 16000;
            if (rng() < 0.3) inputs.lines = 8;
            if (rng() < 0.3) inputs.fail = pick(['a', 'b', 'c', 'd']);
            const id = await execute(inputs);
            log.push(`exec ${JSON.stringify(inputs)} -> ${id?.slice(0, 8) ?? lastStatus}`);
            if (id) ids.push(id);
          } else if (r < 0.32) {
            const live = server.registry.runs(WF).filter((x) => isLiveStatus(x.status));
            if (live.length) {
              const a = pick(['pause', 'resume', 'cancel', 'resume']);
              const x = pick(live);
              log.push(`${a} ${x.executionId.slice(0, 8)}`);
              await control(x.executionId, a);
            }
          } else if (r < 0.42) {
            log.push(`${c.name} drop`);
            c.drop();
          } else if (r < 0.55) {
            log.push(`${c.name} reconnect pos ${c.state.executionId?.slice(0, 8)}@${c.state.lastSeq}`);
            await c.connect();
          } else if (r < 0.6) {
            log.push(`${c.name} reload`);
            c.drop();
            c.state = createInitialState(WF);
            await c.connect();
          } else if (r < 0.65) {
            // stale position: an older seq of the run it shows (a restored tab)
            const ls = c.state.lastSeq === null ? null : Math.max(0, c.state.lastSeq - 1 - Math.floor(rng() * 15));
            log.push(`${c.name} reconnect stale pos ${c.state.executionId?.slice(0, 8)}@${ls}`);
            await c.connect({ lastSeq: ls });
          } else if (r < 0.68) {
            log.push(`${c.name} reconnect unknown pos`);
            await c.connect({ executionId: 'nope-' + step, lastSeq: 3 });
          } else if (r < 0.75) {
            if (c.sock) {
              log.push(`${c.name} stop reading`);
              c.stopReading();
            }
          } else if (r < 0.8) {
            if (c.paused) {
              log.push(`${c.name} resume reading`);
              c.resumeReading();
            }
          } else if (r < 0.83) {
            log.push('real reconnect');
            real.reconnect();
          } else {
            const ms = Math.floor(rng() * 80);
            await sleep(ms);
          }
        }
        // Quiesce: everything finishes, every client reads and reconnects with its position.
        for (const x of server.registry.runs(WF)) if (x.status === 'paused') await control(x.executionId, 'resume');
        await until(() => server.registry.runs(WF).every((x) => !isLiveStatus(x.status)), 15000);
        for (const x of server.registry.runs(WF)) if (x.status === 'paused') await control(x.executionId, 'resume');
        await until(() => server.registry.runs(WF).every((x) => !isLiveStatus(x.status)), 15000);
        for (const c of clients) if (c.paused) c.resumeReading();
        await sleep(400);
        for (const c of [ref, ...clients]) if (!c.sock) await c.connect();
        await sleep(300);
        // A client that stopped reading has a backlog to work through: on a loaded machine that takes longer
        // than the pause above. Given time (not forever), every client must end where the all-along one is.
        const caughtUp = () => clients.every((c) => c.state.executionId === ref.state.executionId && c.state.lastSeq === ref.state.lastSeq);
        await until(caughtUp, 5000);
        const out: string[] = [];
        out.push(...problems('ref', ref.state, undefined));
        for (const c of clients) out.push(...problems(c.name, c.state, ref.state), ...c.notes);
        out.push(...problems('real', real.store.getState(), ref.state));
        expect(out, `seed ${seed}\n${log.join('\n')}`).toEqual([]);
      } finally {
        release();
        real.destroy();
        ref.drop();
        for (const c of clients) c.drop();
      }
    }, 60_000);
  }
});
