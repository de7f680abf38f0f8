// @vitest-environment node
/**
 * Model-based test of the REST API and engine: random PUTs (valid DAGs of built-in types with odd
 * ids, invalid ones), executes (bursts too), pause/resume/cancel on any run, reads, replaced
 * workflows and live limits, with a socket per workflow; checks status codes, run-state
 * transitions, seq per run, paused runs starting nothing, and records equal to their messages.
 * SEED0, SEEDS and OPS tune a longer hunt.
 */
import { describe, expect, it } from 'vitest';
import { createFlowpulseServer, type FlowpulseServer } from 'flowpulse/server';
import { openClient, type TestClient } from './ws-client';

const SEEDS = Number(process.env.SEEDS ?? 6);
const OPS = Number(process.env.OPS ?? 150);
const SEED0 = Number(process.env.SEED0 ?? 1);
const LIMIT_TOTAL = 4;
const LIMIT_WF = 2;

function mulberry32(a: number) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const pick = <T,>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

const ODD_NODE_IDS = ['a', 'b', 'c', 'n-1', 'x.y', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'é✓', 'a b', '0', 'n'.repeat(300)];

function randomValue(r: Rng, depth = 0): unknown {
  const k = int(r, 0, depth > 2 ? 3 : 5);
  switch (k) {
    case 0: return int(r, -5, 1000);
    case 1: return pick(r, ['x', 'Hello', 'ünï', '', '{{input}}']);
    case 2: return r() < 0.5;
    case 3: return null;
    case 4: return Array.from({ length: int(r, 0, 3) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      for (let i = int(r, 0, 3); i > 0; i--) o[pick(r, ['a', 'b', 'name', 'user', '__proto__', 'constructor'])] = randomValue(r, depth + 1);
      return o;
    }
  }
}

function randomConfig(r: Rng, type: string): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  if (type !== 'fail' && r() < 0.8) c.ms = pick(r, [0, 0, 5, 20, 60, 150]);
  if (type === 'fail') c.ms = pick(r, [0, 30, 100]);
  if (r() < 0.15) c.log = 'log {{input.a}} {{node.id}}';
  if (type === 'transform') {
    const op = pick(r, ['passthrough', 'uppercase', 'lowercase', 'template', 'pick', 'set']);
    c.op = op;
    if (op === 'template') { c.template = pick(r, ['{{input}}', 'hi {{initial_inputs.name}}', '{{inputs.a}}-{{ input.a.b }}']); if (r() < 0.5) c.output = 'out'; }
    if (op === 'pick') c.fields = ['a', 'name'];
    if (op === 'set') c.values = { z: 1 };
  }
  if (type === 'merge') c.mode = pick(r, ['object', 'array', 'shallow']);
  if (type === 'random') c.failureRate = pick(r, [0, 0.2, 1]);
  if (type === 'delay' && r() < 0.3) c.result = randomValue(r);
  if (type === 'start' && r() < 0.3) c.defaults = { a: 1, name: 'd' };
  return c;
}

function validDag(r: Rng, id: string): any {
  const n = int(r, 1, 7);
  const idPool = r() < 0.3 ? ODD_NODE_IDS : Array.from({ length: 10 }, (_, i) => `n${i}`);
  const ids: string[] = [];
  while (ids.length < n) {
    const c = r() < 0.3 ? pick(r, idPool) : `n${ids.length}_${int(r, 0, 99)}`;
    if (!ids.includes(c)) ids.push(c);
  }
  const types = ['start', 'delay', 'delay', 'transform', 'merge', 'output', 'random', 'input'];
  const nodes = ids.map((nid, i) => {
    const type = i === 0 ? 'start' : r() < 0.06 ? 'fail' : pick(r, types);
    return { id: nid, type, ...(r() < 0.3 ? { label: `L ${nid}` } : {}), config: randomConfig(r, type) };
  });
  const edges: any[] = [];
  for (let j = 1; j < n; j++) {
    for (let i = 0; i < j; i++) if (r() < (i === j - 1 ? 0.6 : 0.25)) edges.push({ id: `e${edges.length}`, source: ids[i], target: ids[j] });
  }
  return { id, name: `WF ${id}`, nodes, edges };
}

function invalidDef(r: Rng, id: string): { def: any; why: string } {
  const base = validDag(r, id);
  const k = int(r, 0, 8);
  switch (k) {
    case 0: { // cycle
      base.nodes = [{ id: 'a', type: 'delay' }, { id: 'b', type: 'delay' }];
      base.edges = [{ source: 'a', target: 'b' }, { source: 'b', target: 'a' }];
      return { def: base, why: 'cycle' };
    }
    case 1: base.nodes[0].type = 'no-such-type'; return { def: base, why: 'unknown type' };
    case 2: base.edges.push({ source: base.nodes[0].id, target: 'ghost' }); return { def: base, why: 'edge to missing node' };
    case 3: base.nodes.push({ ...base.nodes[0] }); return { def: base, why: 'duplicate node id' };
    case 4: base.edges.push({ source: base.nodes[0].id, target: base.nodes[0].id }); return { def: base, why: 'self loop' };
    case 5: return { def: { ...base, nodes: 'nope' }, why: 'nodes not array' };
    case 6: return { def: { ...base, id: id + 'x' }, why: 'id mismatch' };
    case 7: return { def: [base], why: 'array body' };
    default: return { def: { ...base, nodes: [] }, why: 'empty nodes' };
  }
}

interface RunModel {
  id: string;
  wf: string;
  def: any;
  controls: { action: string; status: number; state?: string; before?: string; }[];
  completeSeenAtOp: number | null;
}

const violations: string[] = [];
function bad(msg: string) {
  if (violations.length < 200) violations.push(msg);
}

async function runSeed(seed: number) {
  const r = mulberry32(seed);
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
  const serverErrors: unknown[] = [];
  const server: FlowpulseServer = createFlowpulseServer({
    port: 0,
    maxLiveExecutions: LIMIT_TOTAL,
    maxLiveExecutionsPerWorkflow: LIMIT_WF,
    maxConcurrency: 2,
    metricsIntervalMs: 0,
    maxInlineResultBytes: 200,
    onError: (e) => serverErrors.push(e),
  });
  const { url } = await server.listen();
  const base = url.replace(/\/$/, '');
  const wsBase = base.replace('http', 'ws');
  const POOL = ['wf0', 'wf1', 'wf2', 'wf é', 'w/f'];
  const clients = new Map<string, TestClient>();
  for (const wf of POOL) clients.set(wf, await openClient(`${wsBase}/api/ws/workflow/${encodeURIComponent(wf)}`));
  const runs = new Map<string, RunModel>();
  const stored = new Map<string, any>();
  let requests = 0;
  let opIndex = 0;
  const log: string[] = [];

  const req = async (method: string, path: string, body?: unknown) => {
    requests++;
    const res = await fetch(base + path, {
      method,
      ...(body === undefined ? {} : { headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: any;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
    const where = `seed ${seed} op ${opIndex} ${method} ${path}`;
    if (res.status >= 500) bad(`${where}: ${res.status} ${text.slice(0, 200)}`);
    if (res.status >= 400 && (typeof json !== 'object' || json === null || typeof json.error !== 'string')) bad(`${where}: ${res.status} without JSON {error}: ${text.slice(0, 200)}`);
    if (res.status === 429 && !res.headers.get('retry-after')) bad(`${where}: 429 without Retry-After`);
    return { status: res.status, json, headers: res.headers };
  };
  const msgsOf = (run: RunModel) =>
    clients.get(run.wf)!.messages.filter((m) => m.data?.execution_id === run.id && m.type !== 'snapshot');
  const completeSeen = (run: RunModel) => msgsOf(run).some((m) => m.type === 'workflow_complete');

  const checkLive = () => {
    const live = [...server.live.values()];
    if (live.length > LIMIT_TOTAL) bad(`seed ${seed} op ${opIndex}: live ${live.length} > ${LIMIT_TOTAL}`);
    const per = new Map<string, number>();
    for (const h of live) per.set(h.record.workflowId, (per.get(h.record.workflowId) ?? 0) + 1);
    for (const [wf, n] of per) if (n > LIMIT_WF) bad(`seed ${seed} op ${opIndex}: live of ${wf} ${n} > ${LIMIT_WF}`);
  };

  const enc = encodeURIComponent;
  for (opIndex = 0; opIndex < OPS; opIndex++) {
    const k = r();
    const wf = pick(r, POOL);
    if (k < 0.18) {
      const def = validDag(r, wf);
      const existed = stored.has(wf);
      const res = await req('PUT', `/api/workflows/${enc(wf)}`, r() < 0.5 ? def : { ...def, id: undefined });
      log.push(`PUT ${wf} ${res.status}`);
      if (res.status !== (existed ? 200 : 201)) bad(`seed ${seed} op ${opIndex}: PUT valid ${JSON.stringify(def).slice(0, 300)} -> ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
      else stored.set(wf, def);
    } else if (k < 0.25) {
      const target = r() < 0.8 ? wf : pick(r, ['x'.repeat(3000), '..', '%2e', ' ', 'ä/ö', 'a?b', '#']);
      const { def, why } = invalidDef(r, target);
      const res = await req('PUT', `/api/workflows/${enc(target)}`, def);
      log.push(`PUT invalid(${why}) ${res.status}`);
      if (res.status < 400 || res.status >= 500) bad(`seed ${seed} op ${opIndex}: PUT invalid (${why}) -> ${res.status}`);
    } else if (k < 0.5) {
      const inputs = r() < 0.2 ? undefined : randomValue(r);
      const body = r() < 0.15 ? undefined : { initial_inputs: inputs };
      const notDoneBefore = [...runs.values()].filter((x) => !completeSeen(x));
      const res = await req('POST', `/api/workflows/${enc(wf)}/execute`, body);
      log.push(`EXEC ${wf} ${res.status}`);
      if (res.status === 202) runs.set(res.json.execution_id, { id: res.json.execution_id, wf, def: stored.get(wf), controls: [], completeSeenAtOp: null });
      const inputsOk = body === undefined || inputs === undefined || inputs === null || (typeof inputs === 'object' && inputs !== null && !Array.isArray(inputs));
      if (!stored.has(wf)) {
        if (res.status !== 404) bad(`seed ${seed} op ${opIndex}: execute unknown wf -> ${res.status}`);
      } else if (!inputsOk) {
        if (res.status !== 400) bad(`seed ${seed} op ${opIndex}: execute with bad inputs ${JSON.stringify(inputs)} -> ${res.status}`);
      } else if (res.status === 202) {
      } else if (res.status === 429) {
        const scope = res.json.scope;
        const n = scope === 'server' ? notDoneBefore.length : notDoneBefore.filter((x) => x.wf === wf).length;
        const lim = scope === 'server' ? LIMIT_TOTAL : LIMIT_WF;
        if (n < lim) bad(`seed ${seed} op ${opIndex}: 429 scope ${scope} but at most ${n} runs could be live (limit ${lim})`);
      } else bad(`seed ${seed} op ${opIndex}: execute -> ${res.status} ${JSON.stringify(res.json)}`);
    } else if (k < 0.78) {
      const action = pick(r, ['pause', 'resume', 'cancel', 'pause', 'resume']);
      const all = [...runs.values()];
      const sel = r();
      let run: RunModel | undefined;
      let path: string;
      let expect404 = false;
      if (all.length === 0 || sel < 0.08) {
        path = `/api/workflows/${enc(wf)}/executions/${enc(pick(r, ['00000000-0000-0000-0000-000000000000', 'x', '__proto__']))}/${action}`;
        expect404 = true;
      } else {
        const live = all.filter((x) => !completeSeen(x));
        run = live.length > 0 && r() < 0.8 ? pick(r, live) : pick(r, all);
        const other = POOL.find((p) => p !== run!.wf)!;
        if (r() < 0.08) { path = `/api/workflows/${enc(other)}/executions/${run.id}/${action}`; expect404 = true; }
        else path = `/api/workflows/${enc(run.wf)}/executions/${run.id}/${action}`;
      }
      const before = run ? (server.live.get(run.id)?.state ?? server.registry.get(run.id)?.status) : undefined;
      const seenDone = run ? completeSeen(run) : false;
      const res = await req('POST', path, undefined);
      log.push(`${action} ${run?.id.slice(0, 6)} before=${before} -> ${res.status} ${res.json?.state}`);
      const where = `seed ${seed} op ${opIndex}: ${action} (before=${before}, path=${path})`;
      if (expect404) {
        if (res.status !== 404) bad(`${where} expected 404, got ${res.status}`);
        continue;
      }
      run!.controls.push({ action, status: res.status, state: res.json?.state, before });
      const final = ['completed', 'failed', 'cancelled'];
      if (seenDone && res.status !== 409) bad(`${where}: finished run -> ${res.status}`);
      if (res.status === 200) {
        const want = { pause: 'paused', resume: 'running', cancel: 'cancelled' }[action];
        if (res.json?.state !== want) bad(`${where}: 200 with state ${res.json?.state}`);
        if (action === 'pause' && before !== 'running') bad(`${where}: 200 but was ${before}`);
        if (action === 'resume' && before !== 'paused') bad(`${where}: 200 but was ${before}`);
        if (action === 'cancel' && final.includes(before!)) bad(`${where}: 200 but was ${before}`);
      } else if (res.status === 409) {
        const st = res.json?.state;
        const ok =
          action === 'pause' ? ['paused', ...final].includes(st) && (before !== 'running' || final.includes(st))
          : action === 'resume' ? ['running', ...final].includes(st) && (before !== 'paused' || final.includes(st))
          : final.includes(st);
        if (!ok) bad(`${where}: 409 with state ${st}`);
      } else bad(`${where}: status ${res.status}`);
    } else if (k < 0.9) {
      const all = [...runs.values()];
      if (all.length === 0 || r() < 0.1) {
        const res = await req('GET', `/api/workflows/${enc(wf)}/executions`);
        if (stored.has(wf) && res.status !== 200) bad(`seed ${seed} op ${opIndex}: list -> ${res.status}`);
        continue;
      }
      const run = pick(r, all);
      const g = int(r, 0, 3);
      if (g === 0) {
        const res = await req('GET', `/api/workflows/${enc(run.wf)}/executions`);
        if (res.status !== 200) { bad(`seed ${seed} op ${opIndex}: list -> ${res.status}`); continue; }
        for (const s of res.json) if (!['running', 'paused', 'completed', 'failed', 'cancelled'].includes(s.status)) bad(`list status ${s.status}`);
      } else if (g === 1) {
        const res = await req('GET', `/api/workflows/${enc(run.wf)}/executions/${run.id}`);
        if (res.status !== 200) bad(`seed ${seed} op ${opIndex}: record -> ${res.status}`);
      } else if (g === 2) {
        const res = await req('GET', `/api/workflows/${enc(run.wf)}/executions/${run.id}/nodes/${enc((pick(r, run.def.nodes) as { id: string }).id)}/result`);
        if (res.status !== 200 && res.status !== 404) bad(`seed ${seed} op ${opIndex}: result -> ${res.status}`);
      } else {
        const res = await req('GET', `/api/workflows/${enc(run.wf)}/executions/${run.id}/nodes/ghost/result`);
        if (res.status !== 404) bad(`seed ${seed} op ${opIndex}: ghost result -> ${res.status}`);
      }
    } else if (k < 0.95) {
      const res = await req('GET', r() < 0.5 ? '/api/workflows' : `/api/workflows/${enc(wf)}`);
      if (res.status !== 200 && res.status !== 404) bad(`seed ${seed} op ${opIndex}: GET -> ${res.status}`);
    } else if (k < 0.975) {
      // burst: concurrent executes and controls
      const jobs: Promise<unknown>[] = [];
      const all = [...runs.values()].filter((x) => !completeSeen(x));
      for (let i = int(r, 2, 6); i > 0; i--) {
        if (r() < 0.5 || all.length === 0) {
          const w = pick(r, POOL);
          jobs.push(req('POST', `/api/workflows/${enc(w)}/execute`, { initial_inputs: { a: i } }).then((res) => {
            if (res.status === 202) runs.set(res.json.execution_id, { id: res.json.execution_id, wf: w, def: stored.get(w), controls: [], completeSeenAtOp: null });
            else if (![404, 429].includes(res.status)) bad(`seed ${seed} op ${opIndex}: burst execute -> ${res.status}`);
          }));
        } else {
          const run = pick(r, all);
          const action = pick(r, ['pause', 'resume', 'cancel']);
          jobs.push(req('POST', `/api/workflows/${enc(run.wf)}/executions/${run.id}/${action}`).then((res) => {
            run.controls.push({ action, status: res.status, state: res.json?.state, before: 'burst' });
            const want = { pause: 'paused', resume: 'running', cancel: 'cancelled' }[action];
            if (res.status === 200 && res.json.state !== want) bad(`seed ${seed} op ${opIndex}: burst ${action} 200 state ${res.json.state}`);
            if (res.status !== 200 && res.status !== 409) bad(`seed ${seed} op ${opIndex}: burst ${action} -> ${res.status}`);
          }));
        }
      }
      await Promise.all(jobs);
    } else {
      await new Promise((res) => setTimeout(res, int(r, 5, 120)));
    }
    checkLive();
  }

  // Drain: resume/cancel whatever is still live, then wait for every run's end.
  for (const run of runs.values()) {
    const h = server.live.get(run.id);
    if (h) {
      const action = r() < 0.5 ? 'resume' : 'cancel';
      const res = await req('POST', `/api/workflows/${enc(run.wf)}/executions/${run.id}/${action}`);
      run.controls.push({ action, status: res.status, state: res.json?.state, before: 'drain' });
    }
  }
  const t0 = Date.now();
  while ([...runs.values()].some((x) => !completeSeen(x)) && Date.now() - t0 < 8000) await new Promise((res) => setTimeout(res, 20));
  await new Promise((res) => setTimeout(res, 50));

  for (const run of runs.values()) {
    const ms = msgsOf(run);
    const where = `seed ${seed} run ${run.id} (${run.wf}, controls ${JSON.stringify(run.controls)})`;
    const seqs = ms.map((m) => m.seq);
    if (!seqs.every((s, i) => s === i + 1)) bad(`${where}: seqs ${seqs.join(',')}`);
    if (ms[0]?.type !== 'workflow_start') bad(`${where}: first message ${ms[0]?.type}`);
    const completes = ms.filter((m) => m.type === 'workflow_complete');
    if (completes.length !== 1) { bad(`${where}: ${completes.length} workflow_complete; types ${ms.map((m) => m.type).join(',')}`); continue; }
    if (ms.at(-1).type !== 'workflow_complete') bad(`${where}: workflow_complete not last`);
    // run_state transitions and pause silence
    let state = 'running';
    let pausedRunning = new Set<string>();
    const running = new Set<string>();
    for (const m of ms) {
      if (m.type === 'run_state') {
        const to = m.data.state;
        const okT = (state === 'running' && (to === 'paused' || to === 'cancelled')) || (state === 'paused' && (to === 'running' || to === 'cancelled'));
        if (!okT) bad(`${where}: run_state ${state} -> ${to}`);
        if (to === 'paused') pausedRunning = new Set(running);
        state = to;
      } else if (m.type === 'node_status') {
        if (m.data.status === 'running') {
          if (state === 'paused') bad(`${where}: node ${m.data.node_id} started while paused (seq ${m.seq})`);
          running.add(m.data.node_id);
        } else {
          if (state === 'paused' && !pausedRunning.has(m.data.node_id)) bad(`${where}: node ${m.data.node_id} ${m.data.status} while paused but was not running at pause`);
          running.delete(m.data.node_id);
        }
      }
    }
    // 200 controls must appear as run_state messages, in order
    if (run.def && JSON.stringify([...ms[0].data.execution_order].sort()) !== JSON.stringify(run.def.nodes.map((n: any) => n.id).sort())) bad(`${where}: execution_order ${ms[0].data.execution_order} not the def executed`);
    const rsStates = ms.filter((m) => m.type === 'run_state').map((m) => m.data.state);
    const ok200 = run.controls.filter((c) => c.status === 200).map((c) => c.state);
    if (JSON.stringify([...rsStates].sort()) !== JSON.stringify([...ok200].sort())) {
      bad(`${where}: run_states ${rsStates} vs 200 answers ${ok200}`);
    }
    // record vs messages
    const res = await req('GET', `/api/workflows/${enc(run.wf)}/executions/${run.id}`);
    if (res.status !== 200) { bad(`${where}: record -> ${res.status}`); continue; }
    const rec = res.json;
    const done = completes[0].data;
    const cancelled = rsStates.includes('cancelled');
    const wantStatus = done.success ? 'completed' : cancelled ? 'cancelled' : 'failed';
    if (rec.status !== wantStatus) bad(`${where}: record status ${rec.status}, messages say ${wantStatus}`);
    if (rec.progress !== 100) bad(`${where}: record progress ${rec.progress}`);
    if (rec.lastSeq !== ms.at(-1).seq) bad(`${where}: lastSeq ${rec.lastSeq} vs ${ms.at(-1).seq}`);
    if (JSON.stringify(rec.errors) !== JSON.stringify(done.errors)) bad(`${where}: errors ${JSON.stringify(rec.errors)} vs ${JSON.stringify(done.errors)}`);
    if (rec.executionTime !== done.execution_time) bad(`${where}: executionTime ${rec.executionTime} vs ${done.execution_time}`);
    if (JSON.stringify(rec.executionOrder) !== JSON.stringify(ms[0].data.execution_order)) bad(`${where}: executionOrder differs`);
    const expNodes: Record<string, any> = Object.create(null);
    for (const id of ms[0].data.execution_order) expNodes[id] = { status: 'pending' };
    for (const m of ms) if (m.type === 'node_status') expNodes[m.data.node_id] = m.data;
    let completed = 0;
    for (const [id, exp] of Object.entries(expNodes)) {
      const got = rec.nodes[id];
      if (!got || got.status !== exp.status) { bad(`${where}: node ${id} record ${got?.status} vs messages ${exp.status}`); continue; }
      if (exp.status === 'completed') {
        completed++;
        if (exp.result_ref == null && JSON.stringify(got.result) !== JSON.stringify(exp.result)) bad(`${where}: node ${id} result differs: ${JSON.stringify(got.result)} vs ${JSON.stringify(exp.result)}`);
        const rr = await req('GET', `/api/workflows/${enc(run.wf)}/executions/${run.id}/nodes/${enc(id)}/result`);
        if (rr.status !== 200) bad(`${where}: result of completed node ${id} -> ${rr.status}`);
        else if (JSON.stringify(rr.json) !== JSON.stringify(got.result)) bad(`${where}: result endpoint differs for ${id}`);
      }
      if (exp.status === 'error' && got.error !== exp.error) bad(`${where}: node ${id} error ${got.error} vs ${exp.error}`);
    }
    if (rec.completedNodes !== completed) bad(`${where}: completedNodes ${rec.completedNodes} vs ${completed}`);
    const lastProgress = ms.filter((m) => m.type === 'progress').at(-1);
    if (lastProgress && lastProgress.data.current_step !== completed) bad(`${where}: last progress step ${lastProgress.data.current_step} vs ${completed}`);
  }
  if (unhandled.length) bad(`seed ${seed}: unhandled ${unhandled.map(String).join('; ')}`);
  if (serverErrors.length) bad(`seed ${seed}: server onError ${serverErrors.map(String).join('; ')}`);
  process.off('unhandledRejection', onUnhandled);
  process.off('uncaughtException', onUnhandled);
  for (const c of clients.values()) await c.close();
  await server.close();
  return { requests, runs: runs.size };
}

describe('model-based REST + WS', () => {
  it('holds invariants over random sequences', async () => {
    let requests = 0;
    let nRuns = 0;
    for (let s = SEED0; s < SEED0 + SEEDS; s++) {
      const out = await runSeed(s);
      requests += out.requests;
      nRuns += out.runs;
    }
    expect(violations, `${SEEDS} seeds, ${requests} requests, ${nRuns} runs`).toEqual([]);
    expect(nRuns).toBeGreaterThan(SEEDS); // runs did start: a hunt of refusals only would prove little
  }, 300_000);
});
