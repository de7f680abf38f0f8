/**
 * Model-based test of the store: random sequences of messages (two runs, repeated and skipped seq),
 * flushes, configure (bounds, batch, watchdog), connection changes, reports, resets, destroy, time
 * and visibility, checked against applying the same messages one by one with reduceWorkflow, and for
 * bounds, expiry, the watchdog, one notification per flush and nothing left after destroy.
 * RUNS, SEED, SKIP tune a longer hunt.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { createInitialState, createWorkflowStore, reduceWorkflow, type ServerMessage, type WorkflowState } from 'flowpulse';
import { DEFAULT_LIMITS, type ConnectionState } from 'flowpulse';
import {
  createEdgeFlowMessage,
  createErrorMessage,
  createLogMessage,
  createMetricsMessage,
  createNodeStatusMessage,
  createProgressMessage,
  createRunStateMessage,
  createSnapshotMessage,
  createWorkflowCompleteMessage,
  createWorkflowStartMessage,
  emptySnapshot,
  NODE_STATUSES,
  RUN_STATES,
} from 'flowpulse/protocol';

const T0 = Date.UTC(2025, 0, 1);
const nodeId = fc.constantFrom('a', 'b', 'c');
const base = fc.record({
  workflowId: fc.constantFrom('123', '123', '123', '123', 'other'),
  executionId: fc.constantFrom('e1', 'e1', 'e2', 'e3'),
  seq: fc.option(fc.nat(12), { nil: undefined }),
  timestamp: fc.integer({ min: -20_000, max: 120_000 }).map((o) => new Date(T0 + o).toISOString()),
});
const message: fc.Arbitrary<ServerMessage> = fc.oneof(
  base.chain((b) => fc.uniqueArray(nodeId, { minLength: 1 }).map((order) => createWorkflowStartMessage({ ...b, executionOrder: order }))),
  { arbitrary: base.chain((b) => fc.tuple(nodeId, fc.constantFrom(...NODE_STATUSES)).map(([id, status]) => createNodeStatusMessage({ ...b, nodeId: id, status }))), weight: 3 },
  base.chain((b) => fc.tuple(nodeId, nodeId, fc.option(fc.constantFrom('x', 'y'), { nil: null })).map(([s, t, e]) => createEdgeFlowMessage({ ...b, sourceNodeId: s, targetNodeId: t, edgeId: e }))),
  base.chain((b) => fc.tuple(fc.nat(5), fc.option(nodeId, { nil: null })).map(([c, n]) => createProgressMessage({ ...b, currentStep: c, totalSteps: 5, currentNodeId: n }))),
  base.chain((b) => fc.option(nodeId, { nil: null }).map((n) => createLogMessage({ ...b, message: 'm', nodeId: n }))),
  base.chain((b) => fc.option(nodeId, { nil: null }).map((n) => createErrorMessage({ ...b, error: 'boom', nodeId: n }))),
  base.chain((b) => fc.boolean().map((success) => createWorkflowCompleteMessage({ ...b, success, executionTime: 1 }))),
  base.chain((b) => fc.constantFrom(...RUN_STATES).map((state) => createRunStateMessage({ ...b, state, reason: null }))),
  base.chain((b) =>
    fc.tuple(fc.uniqueArray(nodeId, { minLength: 1 }), fc.constantFrom(...NODE_STATUSES), fc.boolean()).map(([order, status, noExec]) =>
      createSnapshotMessage({
        seq: b.seq,
        timestamp: b.timestamp,
        snapshot: {
          ...emptySnapshot(b.workflowId),
          execution_id: noExec ? null : b.executionId,
          run_state: 'running',
          started_at: b.timestamp,
          execution_order: order,
          total_nodes: order.length,
          nodes: Object.fromEntries(order.map((id) => [id, { status, result: null, error: null, started_at: null, finished_at: null }])),
          logs: [{ level: 'info', message: 'snap', node_id: null, timestamp: b.timestamp, seq: 1 }],
          errors: [{ error: 'e', node_id: null, timestamp: b.timestamp }],
        } as any,
      }),
    ),
  ),
  base.map((b) =>
    createMetricsMessage({
      timestamp: b.timestamp,
      metrics: { cpu_percent: 1, rss_mb: 2, heap_used_mb: 3, event_loop_delay_p99_ms: 4, active_executions: 1, connected_clients: 1 },
    }),
  ),
);

type Batch = 'frame' | 'microtask' | 'sync' | 'custom';
type Cfg = {
  maxLogs?: number;
  maxErrors?: number;
  maxEdgeFlows?: number;
  maxMetrics?: number;
  maxPastExecutions?: number;
  maxProblems?: number;
  edgeFlowDurationMs?: number;
  stalledAfterMs?: number;
  batch: Batch;
};
type Step =
  | { t: 'enqueue'; m: ServerMessage }
  | { t: 'flush' }
  | { t: 'configure'; c: Cfg }
  | { t: 'conn'; status: ConnectionState['status'] }
  | { t: 'report' }
  | { t: 'reset' }
  | { t: 'destroy' }
  | { t: 'adv'; ms: number }
  | { t: 'frame' }
  | { t: 'custom' }
  | { t: 'micro' }
  | { t: 'hide'; hidden: boolean };

const bound = fc.option(fc.constantFrom(0, 1, 2, 3), { nil: undefined });
const cfg: fc.Arbitrary<Cfg> = fc.record({
  maxLogs: bound,
  maxErrors: bound,
  maxEdgeFlows: bound,
  maxMetrics: bound,
  maxPastExecutions: bound,
  maxProblems: bound,
  edgeFlowDurationMs: fc.option(fc.constantFrom(0, 500, 3000), { nil: undefined }),
  stalledAfterMs: fc.option(fc.constantFrom(0, 1000, 5000), { nil: undefined }),
  batch: fc.constantFrom<Batch>('frame', 'microtask', 'sync', 'custom'),
});
const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: message.map((m) => ({ t: 'enqueue', m }) as Step), weight: 10 },
  { arbitrary: fc.constant({ t: 'flush' } as Step), weight: 2 },
  { arbitrary: cfg.map((c) => ({ t: 'configure', c }) as Step), weight: 2 },
  { arbitrary: fc.constantFrom('open', 'closed', 'reconnecting').map((status) => ({ t: 'conn', status }) as Step), weight: 2 },
  { arbitrary: fc.constant({ t: 'report' } as Step), weight: 1 },
  { arbitrary: fc.constant({ t: 'reset' } as Step), weight: 1 },
  { arbitrary: fc.constant({ t: 'destroy' } as Step), weight: 1 },
  { arbitrary: fc.constantFrom(1, 100, 499, 500, 1000, 2999, 3000, 6000).map((ms) => ({ t: 'adv', ms }) as Step), weight: 4 },
  { arbitrary: fc.constant({ t: 'frame' } as Step), weight: 2 },
  { arbitrary: fc.constant({ t: 'custom' } as Step), weight: 2 },
  { arbitrary: fc.constant({ t: 'micro' } as Step), weight: 2 },
  { arbitrary: fc.boolean().map((hidden) => ({ t: 'hide', hidden }) as Step), weight: 1 },
);

/** The documented end-of-burst cut (reducer.ts boundFlows, re-done here). */
function boundFlows(flows: WorkflowState['edgeFlows'], max: number) {
  if (flows.length <= max) return flows;
  const seen = new Set<string>();
  const kept = [];
  for (let i = flows.length - 1; i >= 0; i--) {
    const f = flows[i]!;
    const key = f.edgeId !== null ? `#${f.edgeId}` : JSON.stringify([f.sourceNodeId, f.targetNodeId]);
    if (!seen.has(key)) kept.push(f);
    seen.add(key);
  }
  kept.reverse();
  return kept.slice(Math.max(0, kept.length - max));
}

const conn = (status: ConnectionState['status']): ConnectionState => ({
  status,
  attempt: 0,
  closeCode: null,
  closeReason: null,
  why: status === 'open' ? null : 'server',
  nextRetryAt: null,
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const SKIP = new Set((process.env.SKIP ?? '').split(','));
const RUNS = Number(process.env.RUNS ?? 300);

describe('store model', () => {
  it('random sequences keep the invariants', async () => {
    let totalSteps = 0;
    await fc.assert(
      fc.asyncProperty(cfg, fc.array(step, { minLength: 5, maxLength: 80, size: 'max' }), async (initial, steps) => {
        try {
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
        vi.setSystemTime(T0);
        // ---- fake frames, visibility, listeners ----
        let nextFrame = 1;
        const frames = new Map<number, FrameRequestCallback>();
        vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => (frames.set(nextFrame, cb), nextFrame++));
        vi.stubGlobal('cancelAnimationFrame', (id: number) => frames.delete(id));
        let hidden = false;
        vi.spyOn(document, 'hidden', 'get').mockImplementation(() => hidden);
        const visListeners = new Set<unknown>();
        const add = document.addEventListener.bind(document);
        const rem = document.removeEventListener.bind(document);
        vi.spyOn(document, 'addEventListener').mockImplementation((type: string, l: any, o?: any) => {
          if (type === 'visibilitychange') visListeners.add(l);
          add(type, l, o);
        });
        vi.spyOn(document, 'removeEventListener').mockImplementation((type: string, l: any, o?: any) => {
          if (type === 'visibilitychange') visListeners.delete(l);
          rem(type, l, o);
        });
        const customs: (() => void)[] = [];
        const toOptions = (c: Cfg) => ({ ...c, batch: c.batch === 'custom' ? (f: () => void) => void customs.push(f) : c.batch });

        const store = createWorkflowStore({ workflowId: '123', ...toOptions(initial) });
        let limits = { ...DEFAULT_LIMITS };
        let c: Cfg = initial;
        const setLimits = (x: Cfg) => {
          c = x;
          limits = { ...DEFAULT_LIMITS };
          for (const k of Object.keys(DEFAULT_LIMITS) as (keyof typeof DEFAULT_LIMITS)[]) if ((x as any)[k] !== undefined) limits[k] = (x as any)[k];
        };
        setLimits(initial);
        const maxProblems = () => c.maxProblems ?? 50;
        const stalledAfter = () => c.stalledAfterMs ?? 30_000;

        // ---- the reference: one message at a time, the documented end-of-burst cut ----
        let ref = createInitialState('123');
        let cut = { ...limits };
        let pending: ServerMessage[] = [];
        let refProblems: string[] = [];
        let notifications = 0;
        const listenerErrors: string[] = [];
        store.subscribe((s) => {
          notifications++;
          for (const id of s.stalledNodeIds) {
            if (s.nodeStatuses[id]?.status !== 'running') listenerErrors.push(`notified stalled ${id} not running`);
            if (s.connection.status !== 'open') listenerErrors.push(`notified stalled ${id} while ${s.connection.status}`);
          }
        });
        const refFlush = () => {
          if (!pending.length) return false;
          const now = Date.now();
          for (const m of pending) ref = reduceWorkflow(ref, m, { now, limits });
          pending = [];
          cut = { ...limits };
          const over = ref.logs.length - limits.maxLogs;
          if (over > 0) ref = { ...ref, logs: ref.logs.slice(over), droppedLogs: ref.droppedLogs + over };
          if (ref.errors.length > limits.maxErrors) ref = { ...ref, errors: ref.errors.slice(Math.max(0, ref.errors.length - limits.maxErrors)) };
          ref = { ...ref, edgeFlows: boundFlows(ref.edgeFlows, limits.maxEdgeFlows) };
          // Bounds lowered by configure() apply with the next burst.
          ref = { ...ref, metrics: ref.metrics.slice(Math.max(0, ref.metrics.length - limits.maxMetrics)) };
          ref = { ...ref, pastExecutionIds: ref.pastExecutionIds.slice(Math.max(0, ref.pastExecutionIds.length - limits.maxPastExecutions)) };
          return true;
        };
        const log: string[] = [];
        const check = (label: string) => {
          const s = store.getState();
          const now = Date.now();
          const where = `${label}\n${log.join('\n')}`;
          const strip = (x: WorkflowState) => {
            const { stalledNodeIds, connection, problems, edgeFlows, ...rest } = x;
            return { ...rest, edgeFlows: edgeFlows.filter((f) => f.expiresAt > now) };
          };
          // batch == one by one (time-independent fields; flows compared once expired ones are gone)
          expect(strip(s), where).toEqual(strip({ ...ref }));
          // bounds
          expect(s.logs.length, where).toBeLessThanOrEqual(cut.maxLogs);
          expect(s.errors.length, where).toBeLessThanOrEqual(cut.maxErrors);
          if (!SKIP.has('metrics')) expect(s.metrics.length, where).toBeLessThanOrEqual(cut.maxMetrics);
          if (!SKIP.has('past')) expect(s.pastExecutionIds.length, where).toBeLessThanOrEqual(cut.maxPastExecutions);
          if (!SKIP.has('problems')) {
            expect(s.problems.length, where).toBeLessThanOrEqual(maxProblems());
            expect(s.problems.map((p) => p.message), where).toEqual(refProblems);
          }
          // no expired flow past its expiry (fake timers run exactly on time)
          if (!frozen) for (const f of s.edgeFlows) expect(f.expiresAt, where).toBeGreaterThan(now);
          // watchdog
          for (const id of s.stalledNodeIds) expect(s.nodeStatuses[id]?.status, where).toBe('running');
          if (s.connection.status !== 'open' || !stalledAfter() || s.stale) expect(s.stalledNodeIds, where).toEqual([]);
          if (!SKIP.has('notify')) expect(listenerErrors, where).toEqual([]);
        };

        let scheduled: 'none' | 'frame' | 'micro' | 'custom' | 'sync' = 'none';
        let destroyed = false;
        let frozen = false;
        for (const st of steps) {
          totalSteps++;
          log.push(JSON.stringify(st.t === 'enqueue' ? { t: 'enqueue', type: st.m.type, seq: st.m.seq, d: st.m.data } : st));
          const before = notifications;
          let flushed = false;
          switch (st.t) {
            case 'enqueue': {
              pending.push(st.m);
              destroyed = false;
              store.enqueue(st.m);
              if (scheduled === 'none') {
                const b = c.batch;
                if (b === 'sync') flushed = refFlush();
                else scheduled = b === 'custom' ? 'custom' : b === 'microtask' || hidden ? 'micro' : 'frame';
              }
              break;
            }
            case 'flush':
              store.flush();
              flushed = refFlush();
              scheduled = 'none';
              break;
            case 'configure': {
              const s0 = stalledAfter();
              store.configure(toOptions(st.c));
              setLimits(st.c);
              refProblems = refProblems.slice(Math.max(0, refProblems.length - maxProblems()));
              if (s0 !== stalledAfter()) frozen = false;
              break;
            }
            case 'conn':
              frozen = false;
              store.setConnection(conn(st.status));
              break;
            case 'report':
              store.report({ code: 'x', message: `p${totalSteps}` });
              refProblems = [...refProblems, `p${totalSteps}`];
              refProblems = refProblems.slice(Math.max(0, refProblems.length - maxProblems()));
              break;
            case 'reset':
              frozen = false;
              store.reset();
              pending = [];
              ref = { ...createInitialState('123'), connection: ref.connection };
              refProblems = [];
              break;
            case 'destroy':
              store.destroy();
              pending = [];
              scheduled = 'none';
              destroyed = true;
              frozen = true;
              expect(vi.getTimerCount(), 'timer after destroy').toBe(0);
              expect(frames.size, 'frame after destroy').toBe(0);
              expect(visListeners.size, 'listener after destroy').toBe(0);
              break;
            case 'adv':
              vi.advanceTimersByTime(st.ms);
              break;
            case 'frame': {
              const all = [...frames.values()];
              frames.clear();
              for (const f of all) f(0);
              if (scheduled !== 'none' && all.length) ((flushed = refFlush()), (scheduled = 'none'));
              break;
            }
            case 'custom': {
              const all = customs.splice(0);
              for (const f of all) f();
              if (scheduled !== 'none' && all.length) ((flushed = refFlush()), (scheduled = 'none'));
              break;
            }
            case 'micro':
              for (let i = 0; i < 5; i++) await Promise.resolve();
              if ((scheduled as string) === 'micro') ((flushed = refFlush()), (scheduled = 'none'));
              break;
            case 'hide':
              hidden = st.hidden;
              document.dispatchEvent(new Event('visibilitychange'));
              if (scheduled === 'frame') ((flushed = refFlush()), (scheduled = 'none'));
              break;
          }
          // a pending microtask flush is run by any await: keep the model honest
          for (let i = 0; i < 5; i++) await Promise.resolve();
          if (scheduled === 'micro') ((flushed = refFlush() || flushed), (scheduled = 'none'));
          if (flushed) frozen = false;
          ref = { ...ref, connection: store.getState().connection };
          if (flushed && !SKIP.has('notify')) expect(notifications - before, `notifications per flush\n${log.join('\n')}`).toBeLessThanOrEqual(1);
          check(st.t);
          void destroyed;
        }
        store.destroy();
        } finally {
        vi.useRealTimers();
        vi.unstubAllGlobals();
        vi.restoreAllMocks();
        }
      }),
      { numRuns: RUNS, seed: process.env.SEED ? Number(process.env.SEED) : undefined },
    );
    expect(totalSteps).toBeGreaterThan(RUNS);
  });
});
