/**
 * Model-based test of the React layer: random sequences of mounts, unmounts, workflow and option
 * changes, providers with and without a client, StrictMode, server events and time, with the
 * invariants (one live socket per owner, none and no timer after unmount, latest callbacks only,
 * nothing thrown into React) checked after every step. RUNS, SEED, MINLEN tune a longer hunt.
 */
import { Component, Fragment, StrictMode, memo, useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { act, render } from '@testing-library/react';
import {
  createWorkflowClient,
  nodeRunState,
  useNodeStatus,
  useWorkflowClientContext,
  useWorkflowWebSocket,
  WorkflowProvider,
  type WorkflowClient,
} from 'flowpulse';
import {
  createEdgeFlowMessage,
  createLogMessage,
  createNodeStatusMessage,
  createWorkflowStartMessage,
  workflowSocketPath,
} from 'flowpulse/protocol';
import { FakeSocket } from '../core/fake-socket';

// ---------------- model ----------------
interface Opt {
  v: number; // address variant
  full: boolean; // url instead of baseUrl
  token?: string;
  batch?: 'sync' | 'microtask' | 'frame';
  maxLogs?: number;
  cbs: boolean;
}
interface HookSpec {
  inst: number;
  kind: 'ws' | 'node';
  wid?: string;
  enabled: boolean;
  inProvider: boolean;
  nodeId: string;
  opt: Opt;
}
interface ProvSpec {
  inst: number;
  wid: string;
  withClient: boolean;
  enabled: boolean;
  opt: Opt;
}
interface World {
  provider: ProvSpec | null;
  hooks: HookSpec[];
}

type Action =
  | { t: 'add'; kind: 'ws' | 'node'; wid?: string; enabled: boolean; inProvider: boolean; nodeId: string; opt: Opt }
  | { t: 'remove'; i: number }
  | { t: 'hookId'; i: number; wid?: string }
  | { t: 'hookOpt'; i: number; opt: Opt }
  | { t: 'hookEnabled'; i: number; enabled: boolean }
  | { t: 'hookMove'; i: number }
  | { t: 'prov'; on: boolean; wid: string; withClient: boolean; enabled: boolean; opt: Opt }
  | { t: 'provId'; wid: string }
  | { t: 'provOpt'; opt: Opt }
  | { t: 'provEnabled'; enabled: boolean }
  | { t: 'provClient'; withClient: boolean }
  | { t: 'rerender' }
  | { t: 'server'; i: number; ev: 'open' | 'msg' | 'bad' | 'close' | 'error'; k: number; code: number }
  | { t: 'adv'; ms: number }
  | { t: 'unmountAll' };

const wids = fc.constantFrom('A', 'B');
const optArb: fc.Arbitrary<Opt> = fc.record(
  {
    v: fc.integer({ min: 0, max: 2 }),
    full: fc.boolean(),
    token: fc.constantFrom('t1', 't2'),
    batch: fc.constantFrom('sync' as const, 'microtask' as const, 'frame' as const),
    maxLogs: fc.constantFrom(0, 1, 3),
    cbs: fc.boolean(),
  },
  { requiredKeys: ['v', 'full', 'cbs'] },
);
const i = fc.nat(9);
const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({
        kind: fc.constantFrom('ws' as const, 'node' as const),
        wid: fc.option(wids, { nil: undefined }),
        enabled: fc.boolean(),
        inProvider: fc.boolean(),
        nodeId: fc.constantFrom('a', 'b', 'c'),
        opt: optArb,
      })
      .map((r) => ({ t: 'add' as const, ...r })),
  },
  { weight: 1, arbitrary: i.map((i) => ({ t: 'remove' as const, i })) },
  { weight: 2, arbitrary: fc.tuple(i, fc.option(wids, { nil: undefined })).map(([i, wid]) => ({ t: 'hookId' as const, i, wid })) },
  { weight: 2, arbitrary: fc.tuple(i, optArb).map(([i, opt]) => ({ t: 'hookOpt' as const, i, opt })) },
  { weight: 2, arbitrary: fc.tuple(i, fc.boolean()).map(([i, enabled]) => ({ t: 'hookEnabled' as const, i, enabled })) },
  { weight: 1, arbitrary: i.map((i) => ({ t: 'hookMove' as const, i })) },
  {
    weight: 2,
    arbitrary: fc
      .record({ on: fc.boolean(), wid: wids, withClient: fc.boolean(), enabled: fc.boolean(), opt: optArb })
      .map((r) => ({ t: 'prov' as const, ...r })),
  },
  { weight: 2, arbitrary: wids.map((wid) => ({ t: 'provId' as const, wid })) },
  { weight: 2, arbitrary: optArb.map((opt) => ({ t: 'provOpt' as const, opt })) },
  { weight: 1, arbitrary: fc.boolean().map((enabled) => ({ t: 'provEnabled' as const, enabled })) },
  { weight: 1, arbitrary: fc.boolean().map((withClient) => ({ t: 'provClient' as const, withClient })) },
  { weight: 1, arbitrary: fc.constant({ t: 'rerender' as const }) },
  {
    weight: 8,
    arbitrary: fc
      .record({
        i: fc.nat(20),
        ev: fc.constantFrom('open' as const, 'msg' as const, 'msg' as const, 'bad' as const, 'close' as const, 'error' as const),
        k: fc.nat(20),
        code: fc.constantFrom(1000, 1006, 1008, 4401, 4000),
      })
      .map((r) => ({ t: 'server' as const, ...r })),
  },
  { weight: 3, arbitrary: fc.constantFrom(1, 50, 1000, 3100, 16_000, 31_000).map((ms) => ({ t: 'adv' as const, ms })) },
  { weight: 1, arbitrary: fc.constant({ t: 'unmountAll' as const }) },
);

// ---------------- instrumentation ----------------
interface Rec {
  violations: string[];
  mounted: Map<number, boolean>;
  committed: Map<number, number>;
  latestToken: Map<number, string | undefined>;
  sharedDisabled: Map<number, boolean>;
}
let rec: Rec;
let renderSeq = 0;
const ext = new Map<string, WorkflowClient>();

const addressOf = (inst: number, wid: string, o: Opt) =>
  o.full ? `ws://i${inst}v${o.v}.test/custom/${encodeURIComponent(wid)}` : `ws://i${inst}v${o.v}.test` + workflowSocketPath(wid);

function optionsFor(inst: number, o: Opt, wid: string) {
  const ver = ++renderSeq;
  const cb = (name: string) => () => {
    calls.set(`${inst}:${name}`, (calls.get(`${inst}:${name}`) ?? 0) + 1);
    if (!rec.mounted.get(inst)) rec.violations.push(`${name} of inst ${inst} called after unmount`);
    else if (rec.sharedDisabled.get(inst)) rec.violations.push(`${name} of disabled shared hook inst ${inst} called`);
    else if (rec.committed.get(inst) !== ver)
      rec.violations.push(`stale ${name} of inst ${inst} (render ${ver}, latest ${rec.committed.get(inst)})`);
  };
  const base = o.full ? { url: addressOf(inst, wid, o) } : { baseUrl: `ws://i${inst}v${o.v}.test` };
  return {
    ver,
    options: {
      ...base,
      WebSocket: FakeSocket as never,
      ...(o.token !== undefined && { token: o.token }),
      ...(o.batch !== undefined && { batch: o.batch }),
      ...(o.maxLogs !== undefined && { maxLogs: o.maxLogs }),
      ...(o.cbs && { onMessage: cb('onMessage'), onError: cb('onError'), onStateChange: cb('onStateChange') }),
    },
  };
}

function useTrack(inst: number, ver: number) {
  useLayoutEffect(() => {
    rec.committed.set(inst, ver);
  });
  useLayoutEffect(() => {
    rec.mounted.set(inst, true);
    return () => void rec.mounted.set(inst, false);
  }, [inst]);
}

function WsHook({ spec }: { spec: HookSpec }) {
  const shared = useWorkflowClientContext();
  const id = spec.wid ?? shared?.workflowId ?? 'never';
  const { ver, options } = optionsFor(spec.inst, spec.opt, id);
  useTrack(spec.inst, ver);
  const sharedNow = shared !== null && (spec.wid === undefined || spec.wid === shared.workflowId);
  useLayoutEffect(() => void rec.sharedDisabled.set(spec.inst, sharedNow && !spec.enabled));
  const r = useWorkflowWebSocket(spec.wid, { ...options, enabled: spec.enabled });
  return <span data-inst={spec.inst}>{r.connectionState.status}</span>;
}

const NodeHook = memo(function NodeHook({ inst, nodeId }: { inst: number; nodeId: string }) {
  const client = useWorkflowClientContext()!;
  const value = useNodeStatus(nodeId);
  const token = {};
  const last = useRef<{ value: unknown; client: unknown; nodeId: string; token: object } | null>(null);
  if (value !== nodeRunState(client.store.getState(), nodeId)) rec.violations.push(`useNodeStatus(${nodeId}) returned a stale value`);
  useEffect(() => {
    const l = last.current;
    if (l && l.token !== token && Object.is(l.value, value) && l.client === client && l.nodeId === nodeId)
      rec.violations.push(`useNodeStatus(${nodeId}) re-rendered with an unchanged value`);
    last.current = { value, client, nodeId, token };
  });
  return <i>{value.status}</i>;
});

class Boundary extends Component<{ children: ReactNode }, { error: unknown }> {
  override state = { error: null as unknown };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  override componentDidCatch(error: unknown) {
    rec.violations.push(`thrown into React: ${String((error as Error)?.message ?? error)}`);
  }
  override render() {
    return this.state.error ? null : this.props.children;
  }
}

function Provider({ spec, children }: { spec: ProvSpec; children: ReactNode }) {
  const { ver, options } = optionsFor(spec.inst, spec.opt, spec.wid);
  useTrack(spec.inst, ver);
  let client: WorkflowClient | undefined;
  if (spec.withClient) {
    client = ext.get(spec.wid);
    if (!client) {
      client = createWorkflowClient({ workflowId: spec.wid, baseUrl: 'ws://ext.test', WebSocket: FakeSocket as never });
      ext.set(spec.wid, client);
    }
  }
  return (
    <WorkflowProvider workflowId={spec.wid} client={client} enabled={spec.enabled} {...options}>
      {children}
    </WorkflowProvider>
  );
}

/** Which hooks are on screen (a hook needing a provider is not rendered without one). */
const rendered = (w: World, h: HookSpec) => {
  const inProv = h.inProvider && w.provider !== null;
  if (h.kind === 'node') return inProv;
  return h.wid !== undefined || inProv;
};
const sharedId = (w: World) => w.provider!.wid; // ext clients are made for the provider's id

function Root({ w }: { w: World }) {
  const inside = w.hooks.filter((h) => h.inProvider && rendered(w, h));
  const outside = w.hooks.filter((h) => !h.inProvider && rendered(w, h));
  const el = (h: HookSpec) =>
    h.kind === 'ws' ? <WsHook key={h.inst} spec={h} /> : <NodeHook key={h.inst} inst={h.inst} nodeId={h.nodeId} />;
  return (
    <Boundary>
      {w.provider ? (
        <Provider spec={w.provider}>{inside.map(el)}</Provider>
      ) : (
        <Fragment>{inside.map(el)}</Fragment>
      )}
      {outside.map(el)}
    </Boundary>
  );
}

/** Owners of a socket: inst -> the address it must use and its token. */
function owners(w: World): Map<number, { address: string; token?: string }> {
  const m = new Map<number, { address: string; token?: string }>();
  const p = w.provider;
  if (p && p.enabled && !p.withClient) m.set(p.inst, { address: addressOf(p.inst, p.wid, p.opt), token: p.opt.token });
  for (const h of w.hooks) {
    if (h.kind !== 'ws' || !rendered(w, h) || !h.enabled) continue;
    const inProv = h.inProvider && p !== null;
    const shared = inProv && (h.wid === undefined || h.wid === sharedId(w));
    if (shared) continue;
    m.set(h.inst, { address: addressOf(h.inst, h.wid!, h.opt), token: h.opt.token });
  }
  return m;
}

const instOf = (url: string) => {
  const m = /^ws:\/\/i(\d+)v/.exec(url);
  return m ? Number(m[1]) : -1;
};
const addr = (url: string) => url.split('?')[0]!;

const flush = async () => {
  await act(async () => {
    for (let k = 0; k < 5; k++) await Promise.resolve();
  });
};

const validMessage = (wid: string, k: number) => {
  const o = { workflowId: wid, executionId: 'e1' };
  switch (k % 5) {
    case 0:
      return JSON.stringify(createWorkflowStartMessage({ ...o, executionOrder: ['a', 'b', 'c'] }));
    case 1:
      return JSON.stringify(createNodeStatusMessage({ ...o, nodeId: 'abc'[k % 3]!, status: k % 2 ? 'running' : 'completed' }));
    case 2:
      return JSON.stringify(createLogMessage({ ...o, message: 'm' + k }));
    case 3:
      return JSON.stringify(createEdgeFlowMessage({ ...o, sourceNodeId: 'a', targetNodeId: 'b' }));
    default:
      return JSON.stringify(createNodeStatusMessage({ ...o, nodeId: 'a', status: 'error', error: 'x' }));
  }
};
const BAD = ['{', '"x"', '{"type":"node_status","data":{}}', '\u0000', 'null', '[]', '{"type":"__proto__"}'];

function apply(w: World, a: Action, nextInst: () => number): World {
  const hooks = w.hooks;
  const at = (i: number) => (hooks.length ? i % hooks.length : -1);
  const upd = (i: number, f: (h: HookSpec) => HookSpec) => {
    const j = at(i);
    return j < 0 ? w : { ...w, hooks: hooks.map((h, k) => (k === j ? f(h) : h)) };
  };
  switch (a.t) {
    case 'add': {
      if (hooks.length >= 6) return w;
      const { t: _, ...rest } = a;
      return { ...w, hooks: [...hooks, { inst: nextInst(), ...rest }] };
    }
    case 'remove': {
      const j = at(a.i);
      return j < 0 ? w : { ...w, hooks: hooks.filter((_, k) => k !== j) };
    }
    case 'hookId':
      return upd(a.i, (h) => ({ ...h, wid: a.wid }));
    case 'hookOpt':
      return upd(a.i, (h) => ({ ...h, opt: a.opt }));
    case 'hookEnabled':
      return upd(a.i, (h) => ({ ...h, enabled: a.enabled }));
    case 'hookMove': // a new place in the tree is a new component: a new instance
      return upd(a.i, (h) => ({ ...h, inProvider: !h.inProvider, inst: nextInst() }));
    case 'prov': {
      // Wrapping or unwrapping changes the parent of the hooks "in" the provider: React remounts them.
      if (a.on !== (w.provider !== null)) w = { ...w, hooks: hooks.map((h) => (h.inProvider ? { ...h, inst: nextInst() } : h)) };
      return { ...w, provider: a.on ? { inst: w.provider?.inst ?? nextInst(), wid: a.wid, withClient: a.withClient, enabled: a.enabled, opt: a.opt } : null };
    }
    case 'provId':
      return w.provider ? { ...w, provider: { ...w.provider, wid: a.wid } } : w;
    case 'provOpt':
      return w.provider ? { ...w, provider: { ...w.provider, opt: a.opt } } : w;
    case 'provEnabled':
      return w.provider ? { ...w, provider: { ...w.provider, enabled: a.enabled } } : w;
    case 'provClient':
      return w.provider ? { ...w, provider: { ...w.provider, withClient: a.withClient } } : w;
    default:
      return w;
  }
}

let steps = 0;
const calls = new Map<string, number>();
let livenessChecks = 0;
let socketsMade = 0;
let serverEvents = 0;
let sequences = 0;
const tally = new Map<string, number>();

async function run(strict: boolean, actions: Action[], opts: { strictCallbacks: boolean } = { strictCallbacks: true }) {
  sequences++;
  FakeSocket.all = [];
  ext.clear();
  rec = { violations: [], mounted: new Map(), committed: new Map(), latestToken: new Map(), sharedDisabled: new Map() };
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'requestAnimationFrame', 'cancelAnimationFrame'] });
  let inst = 0;
  let w: World = { provider: null, hooks: [] };
  let alive = true;
  const wrap = (node: ReactNode) => (strict ? <StrictMode>{node}</StrictMode> : node);
  // The token each owner uses when it constructs a socket must be its latest.
  FakeSocket.onConstruct = (s) => {
    socketsMade++;
    const n = instOf(s.url);
    const own = owners(w).get(n);
    if (!own) return; // checked as a live socket below
    const protos = ([] as string[]).concat(s.protocols ?? []);
    const bearer = protos.find((p) => p.includes('.bearer.'));
    const want = own.token ? `flowpulse.bearer.${own.token}` : undefined;
    if (bearer !== want) rec.violations.push(`socket of inst ${n} built with ${bearer} but the latest token is ${own.token}`);
  };
  let view = render(wrap(<Root w={w} />));
  const check = (label: string) => {
    const own = owners(w);
    const live = FakeSocket.all.filter((s) => s.live);
    const byInst = new Map<number, FakeSocket[]>();
    for (const s of live) byInst.set(instOf(s.url), [...(byInst.get(instOf(s.url)) ?? []), s]);
    for (const [n, ss] of byInst) {
      const o = alive ? own.get(n) : undefined;
      if (!o) rec.violations.push(`${label}: inst ${n} has ${ss.length} live socket(s) but should have none (${ss.map((s) => s.url)})`);
      else {
        if (ss.length > 1) rec.violations.push(`${label}: inst ${n} has ${ss.length} live sockets`);
        for (const s of ss)
          if (addr(s.url) !== o.address) rec.violations.push(`${label}: inst ${n} socket at ${addr(s.url)}, options say ${o.address}`);
      }
    }
  };
  try {
    for (const a of actions) {
      steps++;
      if (a.t === 'unmountAll') {
        if (alive) view.unmount();
        alive = false;
        w = { provider: null, hooks: [] };
        await flush();
        check('after unmountAll');
        if (vi.getTimerCount() !== 0) rec.violations.push(`after unmountAll: ${vi.getTimerCount()} timers left`);
        continue;
      }
      if (a.t === 'server') {
        const live = FakeSocket.all.filter((s) => (a.i % 5 === 4 ? !s.firedClose : s.live));
        const s = live[a.i % Math.max(1, live.length)];
        if (s) {
          serverEvents++;
          await act(async () => {
            if (a.ev === 'open') s.fireOpen();
            else if (a.ev === 'msg') {
              const n = instOf(s.url);
              const wid = decodeURIComponent(addr(s.url).split('/').pop()!);
              s.fireMessage(validMessage(n >= 0 ? wid : 'A', a.k));
            } else if (a.ev === 'bad') {
              const n = instOf(s.url);
              const ownerNow = s.live && alive && owners(w).has(n);
              const expectInsts: number[] = [];
              if (ownerNow) {
                const p = w.provider;
                const ownerSpec = p?.inst === n ? p.opt : w.hooks.find((h) => h.inst === n)?.opt;
                if (ownerSpec?.cbs) expectInsts.push(n);
                if (p?.inst === n)
                  for (const h of w.hooks)
                    if (h.kind === 'ws' && h.inProvider && h.enabled && h.opt.cbs && (h.wid === undefined || h.wid === p.wid)) expectInsts.push(h.inst);
              }
              const before = expectInsts.map((x) => calls.get(`${x}:onError`) ?? 0);
              s.fireMessage(BAD[a.k % BAD.length]!);
              expectInsts.forEach((x, j) => {
                livenessChecks++;
                if ((calls.get(`${x}:onError`) ?? 0) !== before[j]! + 1) rec.violations.push(`bad frame on inst ${n}'s socket: onError of inst ${x} not called once`);
              });
            }
            else if (a.ev === 'close') s.fireClose(a.code);
            else s.fireError();
          });
        }
      } else if (a.t === 'adv') {
        await act(() => vi.advanceTimersByTimeAsync(a.ms));
      } else {
        w = apply(w, a, () => ++inst);
        if (!alive) {
          view = render(wrap(<Root w={w} />));
          alive = true;
        } else view.rerender(wrap(<Root w={w} />));
      }
      await flush();
      check(a.t);
      if (filterViolations(rec.violations, IGNORE).length) break;
    }
    if (!filterViolations(rec.violations, IGNORE).length) {
      view.unmount();
      alive = false;
      w = { provider: null, hooks: [] };
      await flush();
      check('final unmount');
      if (vi.getTimerCount() !== 0) rec.violations.push(`after final unmount: ${vi.getTimerCount()} timers left`);
    }
  } finally {
    if (alive) view.unmount();
    FakeSocket.onConstruct = null;
    vi.useRealTimers();
  }
  for (const v of rec.violations) {
    const key = v.replace(/\d+/g, '#');
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  return rec.violations;
}

const IGNORE = (process.env.IGNORE ?? '').split('|').filter(Boolean).map((s) => new RegExp(s));
const filterViolations = (vs: string[], ignore: RegExp[]) => vs.filter((v) => !ignore.some((r) => r.test(v)));

describe('React hooks: model-based', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const RUNS = Number(process.env.RUNS ?? 60);

  it('keeps its invariants over random sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.array(actionArb, { minLength: Number(process.env.MINLEN ?? 1), maxLength: 40 }), async (strict, actions) => {
        const vs = filterViolations(await run(strict, actions), IGNORE);
        expect(vs).toEqual([]);
      }),
      { numRuns: RUNS, seed: process.env.SEED ? Number(process.env.SEED) : undefined, endOnFailure: !!process.env.ENDFAIL },
    );
    // A hunt that opened no socket and sent no server event would prove nothing.
    expect(socketsMade, `${sequences} sequences, ${steps} steps`).toBeGreaterThan(0);
    expect(serverEvents).toBeGreaterThan(0);
  }, 600_000);
});
