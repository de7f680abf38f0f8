import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ServerMessage } from '../protocol';
import { errorText, newest, type OptionalFields } from './internal';
import { expireEdgeFlows, reduceWorkflowBatch } from './reducer';
import {
  createInitialState,
  DEFAULT_LIMITS,
  type ConnectionState,
  type ReducerLimits,
  type ReportedProblem,
  type WorkflowState,
} from './state';

/** How a burst of messages is turned into one state update. */
export type BatchScheduler = 'frame' | 'microtask' | 'sync' | ((flush: () => void) => void | (() => void));

/** Options of {@link createWorkflowStore}. */
export interface WorkflowStoreOptions extends OptionalFields<ReducerLimits> {
  /** Messages of other workflows are ignored. */
  workflowId?: string | null | undefined;
  /**
   * `frame`: one update per animation frame (microtask while the page is hidden,
   * where frames stop). `microtask`: one per burst. `sync`: one per message.
   * @default 'frame' in a browser, 'microtask' elsewhere
   */
  batch?: BatchScheduler | undefined;
  /** @default 50 */
  maxProblems?: number | undefined;
  /**
   * A running node with no event (status, log, progress, flow) for this long,
   * while connected, is listed in `stalledNodeIds`. 0 turns the watchdog off.
   * @default 30000
   */
  stalledAfterMs?: number | undefined;
  /** A message the reducer could not apply (a bug, or input the parser let through): skipped and reported here. */
  onError?: ((error: { code: 'reducer_error'; message: string }) => void) | undefined;
}

/** A zustand vanilla store of {@link WorkflowState}, fed by messages. */
export interface WorkflowStore extends StoreApi<WorkflowState> {
  /** Queues a message; the batch is applied at the next flush. */
  enqueue(message: ServerMessage): void;
  /** Applies everything queued now, in one update. */
  flush(): void;
  /** Mirrors the connection's state. */
  setConnection(connection: ConnectionState): void;
  /** Records a message or socket problem for the `errors` channel. */
  report(problem: Omit<ReportedProblem, 'time'>): void;
  /**
   * Applies new bounds, `stalledAfterMs`, `maxProblems` and `batch` (`workflowId` stays);
   * one left `undefined` is back to its default. Lists over a lowered bound are cut with the next burst.
   */
  configure(options: Omit<WorkflowStoreOptions, 'workflowId' | 'onError'>): void;
  /** Back to the initial state, keeping the connection. */
  reset(): void;
  /** Drops pending work and clears every timer. The store stays usable: a later `enqueue` starts again. */
  destroy(): void;
}

/** Queues past this many messages are applied at once, so a hidden tab cannot grow memory. */
const MAX_QUEUE = 1000;

/** Schedules a flush; returns how to cancel it, when it can be cancelled. */
type Schedule = (flush: () => void) => void | (() => void);

function pickScheduler(batch: BatchScheduler | undefined): Schedule {
  if (typeof batch === 'function') return batch;
  const hasFrames = typeof requestAnimationFrame === 'function' && typeof document !== 'undefined';
  if (batch === 'sync') return (flush) => flush();
  if (batch === 'microtask' || !hasFrames) return (flush) => queueMicrotask(flush);
  return (flush) => {
    if (document.hidden) return queueMicrotask(flush);
    // A tab hidden before the frame comes runs no frames: the burst is applied when it hides instead.
    const cancel = () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('visibilitychange', run);
    };
    const run = () => {
      cancel();
      flush();
    };
    const frame = requestAnimationFrame(run);
    document.addEventListener('visibilitychange', run);
    return cancel;
  };
}

/**
 * Creates the store one workflow's run state lives in. Messages go in with
 * `enqueue` and come out as one state update per burst; edge flows expire on
 * one timer, not one per flow.
 *
 * @example
 * const store = createWorkflowStore({ workflowId: '123' });
 * store.enqueue(message);
 * store.subscribe((s) => paint(s.nodeStatuses));
 */
export function createWorkflowStore(options: WorkflowStoreOptions = {}): WorkflowStore {
  const limits = { ...DEFAULT_LIMITS };
  let maxProblems: number;
  let stalledAfterMs: number;
  let schedule: Schedule;
  const configure = (o: Omit<WorkflowStoreOptions, 'workflowId' | 'onError'>) => {
    for (const key in limits) limits[key as keyof ReducerLimits] = o[key as keyof ReducerLimits] ?? DEFAULT_LIMITS[key as keyof ReducerLimits];
    maxProblems = o.maxProblems ?? 50;
    stalledAfterMs = o.stalledAfterMs ?? 30_000;
    schedule = pickScheduler(o.batch);
  };
  configure(options);
  const workflowId = options.workflowId ?? null;
  const api = createStore<WorkflowState>()(() => createInitialState(workflowId));
  let queue: ServerMessage[] = [];
  let scheduled = false;
  let cancelScheduled: void | (() => void);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let timerAt = Infinity;

  // Last event per node, client clock. Outside the state: it changes with every
  // log line, and only the watchdog needs it.
  const activity = new Map<string, number>();

  const withProblem = (s: WorkflowState, problem: Omit<ReportedProblem, 'time'>, time: number): WorkflowState => ({
    ...s,
    problems: newest([...s.problems, { ...problem, time }], maxProblems),
  });

  /**
   * Publishes `base` (the state now, by default) with expired edge flows gone
   * and stalled nodes listed, in one update, then sleeps until the next of
   * either is due: one timer for both, re-armed only when that time changes.
   */
  const tick = (base: WorkflowState = api.getState()) => {
    const now = Date.now();
    let s = expireEdgeFlows(base, now);
    let next = Infinity;
    for (const f of s.edgeFlows) next = Math.min(next, f.expiresAt);
    const stalled: string[] = [];
    // Silence while disconnected says nothing about the node: that is shown as disconnected instead.
    if (stalledAfterMs && s.connection.status === 'open' && !s.stale) {
      for (const id in s.nodeStatuses) {
        if (s.nodeStatuses[id]?.status !== 'running') continue;
        const last = activity.get(id) ?? now;
        activity.set(id, last);
        if (now - last >= stalledAfterMs) stalled.push(id);
        else next = Math.min(next, last + stalledAfterMs);
      }
    }
    if (stalled.join() !== s.stalledNodeIds.join()) s = { ...s, stalledNodeIds: stalled };
    if (s !== api.getState()) api.setState(s, true);
    if (next === timerAt) return;
    clearTimeout(timer);
    timerAt = next;
    if (next !== Infinity)
      timer = setTimeout(() => {
        timerAt = Infinity;
        tick();
      }, next - now);
  };

  const flush = () => {
    scheduled = false;
    cancelScheduled?.();
    cancelScheduled = undefined;
    if (!queue.length) return;
    const batch = queue;
    queue = [];
    const before = api.getState();
    const now = Date.now();
    let state: WorkflowState;
    try {
      state = reduceWorkflowBatch(before, batch, { now, limits });
    } catch {
      // One bad message must not cost the rest of the burst: apply them one by one, skipping the culprit.
      state = before;
      for (const m of batch) {
        try {
          state = reduceWorkflowBatch(state, [m], { now, limits });
        } catch (e) {
          const problem = { code: 'reducer_error' as const, message: `${m.type} could not be applied: ${errorText(e)}` };
          state = withProblem(state, problem, now);
          options.onError?.(problem);
        }
      }
    }
    if (state.executionId !== before.executionId) activity.clear();
    for (const m of batch) {
      const d = m.data as Record<string, unknown> | undefined;
      // Only news of the run on screen: an older run's or another workflow's messages, ignored by
      // the reducer, must not keep a silent node of this one looking busy.
      if (!d || d.execution_id !== state.executionId) continue;
      const id = d.node_id ?? d.current_node_id ?? d.source_node_id;
      if (typeof id === 'string') activity.set(id, now);
    }
    // One update: the burst's state with its flows expired and stalls listed, never a half-checked one.
    tick(state);
  };

  return {
    ...api,
    enqueue(message) {
      queue.push(message);
      if (queue.length >= MAX_QUEUE) return flush();
      if (scheduled) return;
      scheduled = true;
      cancelScheduled = schedule(() => scheduled && flush());
    },
    flush,
    configure(o) {
      const stallBefore = stalledAfterMs;
      configure(o);
      // Problems come with no burst to apply a lowered bound with.
      const { problems } = api.getState();
      if (problems.length > maxProblems) api.setState({ problems: newest(problems, maxProblems) });
      // Called on every render by the hooks: the watchdog looks again only when its time changed.
      if (stalledAfterMs !== stallBefore) tick();
    },
    setConnection(connection) {
      // A fresh connection starts every node's silence clock again.
      if (connection.status === 'open' && api.getState().connection.status !== 'open') activity.clear();
      tick({ ...api.getState(), connection });
    },
    report(problem) {
      api.setState(withProblem(api.getState(), problem, Date.now()), true);
    },
    reset() {
      queue = [];
      tick({ ...createInitialState(workflowId), connection: api.getState().connection });
    },
    destroy() {
      queue = [];
      scheduled = false;
      cancelScheduled?.();
      clearTimeout(timer);
      timerAt = Infinity;
    },
  };
}
