import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createWorkflowConnection, createWorkflowClient, type ConnectionState, type WebSocketConstructor } from 'flowpulse';
/**
 * Model-based tests of the connection and the client: random sequences of socket events (on current
 * and stale sockets, in any order), token answers out of order, offline spells, time, app calls
 * (some from inside callbacks) and mounts, with the invariants checked after every step.
 * RUNS, SEED and MINLEN (environment) tune a longer hunt.
 */
import { bump, FakeSocket } from './fake-socket';

const flush = async () => {
  for (let i = 0; i < 10; i++) await Promise.resolve();
};

// ---------- actions ----------
type Action =
  | { t: 'connect' }
  | { t: 'reconnect' }
  | { t: 'close' }
  | { t: 'send' }
  | { t: 'setUrl'; n: number }
  | { t: 'open'; i: number }
  | { t: 'msg'; i: number }
  | { t: 'sclose'; i: number; code: number }
  | { t: 'err'; i: number }
  | { t: 'closing'; i: number }
  | { t: 'tok'; i: number; ok: boolean }
  | { t: 'adv'; ms: number }
  | { t: 'offline' }
  | { t: 'online' }
  | { t: 'dispatchOnline' };

const idx = fc.integer({ min: -3, max: 10 }); // negative: from the newest
const action: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.constant({ t: 'connect' } as Action), weight: 2 },
  { arbitrary: fc.constant({ t: 'reconnect' } as Action), weight: 1 },
  { arbitrary: fc.constant({ t: 'close' } as Action), weight: 1 },
  { arbitrary: fc.constant({ t: 'send' } as Action), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 2 }).map((n) => ({ t: 'setUrl', n }) as Action), weight: 1 },
  { arbitrary: idx.map((i) => ({ t: 'open', i }) as Action), weight: 4 },
  { arbitrary: idx.map((i) => ({ t: 'msg', i }) as Action), weight: 3 },
  {
    arbitrary: fc.tuple(idx, fc.constantFrom(1000, 1006, 1011, 1008, 4401, 4000)).map(([i, code]) => ({ t: 'sclose', i, code }) as Action),
    weight: 3,
  },
  { arbitrary: idx.map((i) => ({ t: 'err', i }) as Action), weight: 1 },
  { arbitrary: idx.map((i) => ({ t: 'closing', i }) as Action), weight: 1 },
  { arbitrary: fc.tuple(idx, fc.boolean()).map(([i, ok]) => ({ t: 'tok', i, ok }) as Action), weight: 3 },
  { arbitrary: fc.constantFrom(1, 100, 499, 1000, 5000, 10_000, 16_000, 31_000).map((ms) => ({ t: 'adv', ms }) as Action), weight: 4 },
  { arbitrary: fc.constant({ t: 'offline' } as Action), weight: 1 },
  { arbitrary: fc.constant({ t: 'online' } as Action), weight: 1 },
  { arbitrary: fc.constant({ t: 'dispatchOnline' } as Action), weight: 1 },
);

const pick = <T,>(arr: T[], i: number): T | undefined =>
  arr.length ? (i < 0 ? arr[Math.max(0, arr.length + i)] : arr[i % arr.length]) : undefined;

interface Config {
  tokenMode: 'none' | 'static' | 'async';
  hbInterval: number;
  hbTimeout: number;
  connectTimeout: number;
  maxAttempts: number;
  reentrantCloseAt: number | null; // onStateChange calls close() when reconnecting at >= this attempt
  closeOnError: boolean; // onError calls close()
}

const config: fc.Arbitrary<Config> = fc.record({
  tokenMode: fc.constantFrom('none', 'static', 'async'),
  hbInterval: fc.constantFrom(0, 1000, 30_000),
  hbTimeout: fc.constantFrom(500, 10_000),
  connectTimeout: fc.constantFrom(2000, 15_000),
  maxAttempts: fc.constantFrom(3, Infinity),
  reentrantCloseAt: fc.constantFrom(null, null, 2),
  closeOnError: fc.constantFrom(false, false, true),
});

let onLine = true;
beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.all = [];
  FakeSocket.onConstruct = null;
  onLine = true;
  vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => onLine);
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

export async function runConnection(cfg: Config, actions: Action[], log = false) {
  vi.useFakeTimers();
  vi.clearAllTimers();
  FakeSocket.all = [];
  onLine = true;
  const STABLE = 5000;
  const pendingTokens: { resolve: (v: string) => void; reject: (e: unknown) => void; n: number; settled: boolean }[] = [];
  let tokenCalls = 0;
  const messages: { data: string; socket: FakeSocket | undefined }[] = [];
  let lastDelivering: FakeSocket | undefined;
  const states: ConnectionState[] = [];
  // Model flags
  let stopped = true; // not started, closed by us, or fatal: no socket may be constructed
  let stopReason = 'not started';
  let onlineWaiting = false;
  const violations: string[] = [];
  const v = (msg: string) => violations.push(msg);

  FakeSocket.onConstruct = (s) => {
    if (stopped) v(`socket #${FakeSocket.all.length - 1} constructed while stopped (${stopReason})`);
    if (cfg.tokenMode === 'async') {
      const m = /bearer\.tok(\d+)$/.exec(([] as string[]).concat(s.protocols ?? []).join(' '));
      if (m && Number(m[1]) !== tokenCalls) v(`socket built with token ${m[1]} while latest token call is ${tokenCalls}`);
    }
  };

  const conn = createWorkflowConnection({
    workflowId: 'w',
    WebSocket: FakeSocket as unknown as WebSocketConstructor,
    heartbeatIntervalMs: cfg.hbInterval,
    heartbeatTimeoutMs: cfg.hbTimeout,
    connectTimeoutMs: cfg.connectTimeout,
    reconnect: { random: () => 0.5, maxAttempts: cfg.maxAttempts, stableAfterMs: STABLE },
    token:
      cfg.tokenMode === 'none'
        ? undefined
        : cfg.tokenMode === 'static'
          ? 'abc'
          : () =>
              new Promise<string>((resolve, reject) => {
                const n = ++tokenCalls;
                pendingTokens.push({ n, resolve: (x) => resolve(x), reject, settled: false });
              }),
    onMessage: (data) => messages.push({ data, socket: lastDelivering }),
    onStateChange: (s) => {
      states.push(s);
      bump(`state:${s.status}:${s.why}`);
      if (cfg.reentrantCloseAt != null && s.status === 'reconnecting' && s.attempt >= cfg.reentrantCloseAt) {
        stopped = true;
        stopReason = 'reentrant close from onStateChange';
        conn.close();
      }
    },
    onError: () => {
      if (cfg.closeOnError) {
        stopped = true;
        stopReason = 'reentrant close from onError';
        conn.close();
      }
    },
  });

  const newest = () => FakeSocket.all[FakeSocket.all.length - 1];
  const check = (step: string) => {
    const st = conn.state;
    const live = FakeSocket.all.filter((s) => s.live);
    if (live.length > 1) v(`${step}: ${live.length} live sockets`);
    if (live.length === 1 && live[0] !== newest()) v(`${step}: live socket is not the newest`);
    const cur = live[0];
    if (st.status === 'open' && !(cur && cur.firedOpen)) v(`${step}: status open without an open current socket`);
    if (cur && cur.firedOpen && st.status !== 'open') v(`${step}: current socket open but status ${st.status}`);
    if (st.nextRetryAt !== null && st.status !== 'reconnecting') v(`${step}: nextRetryAt set while ${st.status}`);
    if (st.nextRetryAt !== null && cur) v(`${step}: nextRetryAt set while a socket is live`);
    if (st.status === 'closed') {
      if (cur) v(`${step}: closed but a socket is live`);
      if (vi.getTimerCount() !== 0) v(`${step}: closed but ${vi.getTimerCount()} timers pending`);
    }
    if ((st.status === 'connecting' || st.status === 'reconnecting') && vi.getTimerCount() === 0 && st.why !== 'offline')
      v(`${step}: ${st.status} with no timer pending and not waiting for online (stuck)`);
    if (stopped && cur) v(`${step}: socket live while stopped (${stopReason})`);
    if (stopped && st.status !== 'closed' && stopReason !== 'not started') v(`${step}: stopped (${stopReason}) but status ${st.status}`);
    // heartbeat: pings only while open & live
    for (const s of FakeSocket.all)
      for (const p of s.sent)
        if (p.data === 'ping' && !s.firedOpen) v(`${step}: ping on a socket that never opened`);
    // silent socket: last ping unanswered for > timeout must be dropped
    if (cur && cur.firedOpen && cfg.hbInterval) {
      const pings = cur.sent.filter((p) => p.data === 'ping' && p.at >= cur.lastMsgAt);
      if (pings.length && pings[0]!.at !== cur.lastMsgAt && Date.now() - pings[0]!.at > cfg.hbTimeout)
        v(`${step}: silent socket not dropped ${Date.now() - pings[0]!.at}ms after ping`);
    }
    if (cur && cur.firedOpen && cfg.hbInterval && Date.now() - Math.max(cur.openedAt, cur.lastMsgAt) > cfg.hbInterval + cfg.hbTimeout)
      v(`${step}: socket silent for ${Date.now() - Math.max(cur.openedAt, cur.lastMsgAt)}ms still current (status ${st.status}, readyState ${cur.readyState})`);
    if (cur && !cur.firedOpen && Date.now() - cur.createdAt > cfg.connectTimeout)
      v(`${step}: socket still connecting ${Date.now() - cur.createdAt}ms after construction (timeout ${cfg.connectTimeout})`);
    if (st.status === 'reconnecting' && st.nextRetryAt !== null && Date.now() > st.nextRetryAt)
      v(`${step}: nextRetryAt ${st.nextRetryAt} passed ${Date.now() - st.nextRetryAt}ms ago without a retry`);
    // A socket stuck closing cannot be pinged: the silence check above drops it.
    if (cur && cur.firedOpen && cur.readyState === 1 && cfg.hbInterval && Date.now() - cur.openedAt > cfg.hbInterval && !cur.sent.some((p) => p.data === 'ping'))
      v(`${step}: open socket never pinged`);
  };

  for (let k = 0; k < actions.length; k++) {
    const a = actions[k]!;
    const step = `#${k} ${JSON.stringify(a)}`;
    if (log) console.log(step, conn.state.status, conn.state.why, FakeSocket.all.length);
    const before = FakeSocket.all.length;
    const stateBefore = conn.state;
    switch (a.t) {
      case 'connect':
        if (conn.state.status === 'closed' || conn.state.status === 'reconnecting' || stopped) {
          stopped = false;
        }
        conn.connect();
        break;
      case 'reconnect':
        stopped = false;
        conn.reconnect();
        break;
      case 'close':
        stopped = true;
        stopReason = 'close()';
        conn.close();
        break;
      case 'send': {
        const cur = FakeSocket.all.find((s) => s.live);
        const ok = conn.send('x');
        if (ok && !(cur && cur.readyState === 1)) v(`${step}: send true without an open socket`);
        if (!ok && cur && cur.readyState === 1 && cur.firedOpen) v(`${step}: send false with an open socket`);
        break;
      }
      case 'setUrl':
        conn.setOptions({ url: `ws://h/${a.n}` });
        break;
      case 'open': {
        const s = pick(FakeSocket.all, a.i);
        s?.fireOpen();
        break;
      }
      case 'msg': {
        const s = pick(FakeSocket.all, a.i);
        if (!s || s.firedClose || s.readyState !== 1) break;
        const n = messages.length;
        lastDelivering = s;
        s.fireMessage('m');
        lastDelivering = undefined;
        if (messages.length > n && !(s.live && !s.closedByConn)) v(`${step}: message delivered from a dropped socket`);
        break;
      }
      case 'sclose': {
        const s = pick(FakeSocket.all, a.i);
        if (!s) break;
        const wasLive = s.live;
        const stable = s.firedOpen && Date.now() - s.openedAt >= STABLE;
        s.fireClose(a.code);
        if (wasLive && [1008, 4401].includes(a.code)) {
          stopped = true;
          stopReason = `fatal ${a.code}`;
          if (conn.state.status !== 'closed' || conn.state.why !== 'fatal') v(`${step}: fatal code but state ${JSON.stringify(conn.state)}`);
        }
        if (wasLive && stable && conn.state.status === 'reconnecting' && conn.state.attempt !== 1)
          v(`${step}: after a stable open attempt is ${conn.state.attempt}`);
        if (!wasLive && conn.state !== stateBefore) v(`${step}: close of a dropped socket changed state`);
        break;
      }
      case 'closing': {
        const s = pick(FakeSocket.all, a.i);
        if (s && s.readyState === 1) s.readyState = 2; // the close handshake started; the close event may be long in coming
        break;
      }
      case 'err': {
        const s = pick(FakeSocket.all, a.i);
        s?.fireError();
        break;
      }
      case 'tok': {
        const open = pendingTokens.filter((p) => !p.settled);
        const p = pick(open, a.i);
        if (!p) break;
        p.settled = true;
        if (a.ok) p.resolve('tok' + p.n);
        else p.reject(new Error('nope'));
        await flush();
        break;
      }
      case 'adv':
        // step in small slices so the heartbeat checks see intermediate moments
        for (let left = a.ms; left > 0; ) {
          const d = Math.min(left, 250);
          vi.advanceTimersByTime(d);
          left -= d;
          await flush();
          check(step + ` @+${a.ms - left}`);
        }
        break;
      case 'offline':
        onLine = false;
        break;
      case 'online':
        onLine = true;
        break;
      case 'dispatchOnline': {
        const waiting = conn.state.status === 'reconnecting' && conn.state.why === 'offline';
        window.dispatchEvent(new Event('online'));
        if (!waiting && (FakeSocket.all.length !== before || conn.state !== stateBefore)) v(`${step}: online while not waiting changed something`);
        break;
      }
    }
    await flush();
    check(step);
    if (violations.length) break;
  }
  // Final: close, then nothing must remain or ever be constructed
  conn.close();
  stopped = true;
  stopReason = 'final close()';
  await flush();
  if (vi.getTimerCount() !== 0) v(`final: ${vi.getTimerCount()} timers after close()`);
  for (const p of pendingTokens) if (!p.settled) p.resolve('tok' + p.n);
  await flush();
  vi.advanceTimersByTime(120_000);
  await flush();
  window.dispatchEvent(new Event('online'));
  if (FakeSocket.all.some((s) => s.live)) v('final: a socket is live after close()');
  return violations;
}

describe('connection model', () => {
  it('random sequences keep the invariants', async () => {
    let runs = 0;
    let steps = 0;
    await fc.assert(
      fc.asyncProperty(config, fc.array(action, { minLength: Number(process.env.MINLEN ?? 1), maxLength: 80 }), async (cfg, actions) => {
        runs++;
        steps += actions.length;
        const violations = await runConnection(cfg, [{ t: 'connect' }, ...actions]);
        vi.useRealTimers();
        expect(violations).toEqual([]);
      }),
      { numRuns: Number(process.env.RUNS ?? 300), seed: process.env.SEED ? Number(process.env.SEED) : undefined, verbose: 0 },
    );
    // A run that took no steps would prove nothing.
    expect(steps).toBeGreaterThan(runs);
  }, 600_000);
});

// ---------- client model ----------
type CAction =
  | { t: 'mount' }
  | { t: 'release'; i: number }
  | { t: 'destroy' }
  | { t: 'setUrl'; n: number }
  | { t: 'close' }
  | { t: 'reconnect' }
  | { t: 'open'; i: number }
  | { t: 'sclose'; i: number; code: number }
  | { t: 'adv'; ms: number }
  | { t: 'micro' };

const caction: fc.Arbitrary<CAction> = fc.oneof(
  { arbitrary: fc.constant({ t: 'mount' } as CAction), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 5 }).map((i) => ({ t: 'release', i }) as CAction), weight: 3 },
  { arbitrary: fc.constant({ t: 'destroy' } as CAction), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 2 }).map((n) => ({ t: 'setUrl', n }) as CAction), weight: 2 },
  { arbitrary: fc.constant({ t: 'close' } as CAction), weight: 1 },
  { arbitrary: fc.constant({ t: 'reconnect' } as CAction), weight: 1 },
  { arbitrary: idx.map((i) => ({ t: 'open', i }) as CAction), weight: 3 },
  {
    arbitrary: fc.tuple(idx, fc.constantFrom(1000, 1006, 4401)).map(([i, code]) => ({ t: 'sclose', i, code }) as CAction),
    weight: 2,
  },
  { arbitrary: fc.constantFrom(1, 1000, 16_000).map((ms) => ({ t: 'adv', ms }) as CAction), weight: 2 },
  { arbitrary: fc.constant({ t: 'micro' } as CAction), weight: 2 },
);

export async function runClient(actions: CAction[], flushEachStep: boolean) {
  vi.useFakeTimers();
  FakeSocket.all = [];
  const violations: string[] = [];
  const v = (m: string) => violations.push(m);
  let destroyed = false;
  let address = 'ws://h/0';
  FakeSocket.onConstruct = (s) => {
    if (destroyed) v(`socket constructed after destroy()`);
    if (!s.url.startsWith(address)) v(`socket constructed for ${s.url}, address is ${address}`);
  };
  const client = createWorkflowClient({
    workflowId: 'w',
    url: address,
    WebSocket: FakeSocket as unknown as WebSocketConstructor,
    heartbeatIntervalMs: 0,
    reconnect: { random: () => 0.5 },
  });
  const releases: (() => void)[] = [];
  let users = 0;
  let closedByApp = false;
  for (let k = 0; k < actions.length; k++) {
    const a = actions[k]!;
    const step = `#${k} ${JSON.stringify(a)}`;
    switch (a.t) {
      case 'mount':
        releases.push(client.mount());
        if (!destroyed) users++;
        if (users === 1) closedByApp = false;
        break;
      case 'release': {
        if (!releases.length) break;
        const r = releases.splice(a.i % releases.length, 1)[0]!;
        r();
        if (!destroyed) users--;
        break;
      }
      case 'destroy':
        destroyed = true;
        users = 0;
        client.destroy();
        break;
      case 'setUrl':
        address = `ws://h/${a.n}`;
        client.setOptions({ url: address });
        break;
      case 'close':
        closedByApp = true;
        client.close();
        break;
      case 'reconnect':
        if (users > 0) closedByApp = false;
        client.reconnect();
        break;
      case 'open':
        pick(FakeSocket.all, a.i)?.fireOpen();
        break;
      case 'sclose':
        pick(FakeSocket.all, a.i)?.fireClose(a.code);
        break;
      case 'adv':
        await vi.advanceTimersByTimeAsync(a.ms);
        break;
      case 'micro':
        await flush();
        break;
    }
    if (flushEachStep || a.t === 'adv') await flush();
    const live = FakeSocket.all.filter((s) => s.live);
    if (live.length > 1) v(`${step}: ${live.length} live sockets`);
    const settled = flushEachStep || a.t === 'adv' || a.t === 'micro';
    if (settled && users === 0 && live.length) v(`${step}: no user but a socket is live`);
    if (settled && users > 0 && live[0] && !live[0].url.startsWith(address))
      v(`${step}: ${users} users, live socket on ${live[0].url} but address is ${address}`);
    if (settled && destroyed) {
      if (vi.getTimerCount()) v(`${step}: ${vi.getTimerCount()} timers after destroy()`);
    }
    if (violations.length) break;
  }
  client.destroy();
  await flush();
  return violations;
}

describe('client model', () => {
  for (const flushEachStep of [true, false])
    it(`random mount/release/setOptions/destroy sequences (flush each step: ${flushEachStep})`, async () => {
      let runs = 0;
      let steps = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(caction, { minLength: Number(process.env.MINLEN ?? 1), maxLength: 40 }), async (actions) => {
          runs++;
          steps += actions.length;
          const violations = await runClient(actions, flushEachStep);
          vi.useRealTimers();
          expect(violations).toEqual([]);
        }),
        { numRuns: Number(process.env.RUNS ?? 300), seed: process.env.SEED ? Number(process.env.SEED) : undefined },
      );
      expect(steps).toBeGreaterThan(runs);
    }, 600_000);
});
