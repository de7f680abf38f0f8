import { parseTimestamp, type LogData, type ErrorData, type ServerMessage, type SnapshotNode } from '../protocol';
import { blankRunFields, newest, withDefaults, type OptionalFields } from './internal';
import {
  DEFAULT_LIMITS,
  type EdgeFlow,
  type LogEntry,
  type NodeRunState,
  type ReducerLimits,
  type RunError,
  type WorkflowState,
} from './state';

/** What the reducer needs from outside the message: the clock and the bounds. */
export interface ReduceContext {
  /** Client epoch ms, for edge-flow expiry. Defaults to the message's timestamp. */
  now?: number | undefined;
  limits?: OptionalFields<ReducerLimits> | undefined;
  /**
   * Collections created while reducing the current batch: nobody has seen
   * them yet, so they are grown in place instead of copied per message.
   * Set by {@link reduceWorkflowBatch}.
   */
  draft?: WeakSet<object> | undefined;
}

/** Appends in place to a draft list (trimmed once at the end of the batch), else copies with the bound. */
function appendTo<T>(list: T[], item: T, max: number, draft?: WeakSet<object>): T[] {
  if (draft?.has(list)) {
    list.push(item);
    return list;
  }
  const next = [...list, item];
  if (!draft) return next.length > max ? newest(next, max) : next;
  draft.add(next);
  return next;
}

/**
 * At most `max` flows. Past it, flows with a newer one on the same edge go
 * first (an edge shows its newest), so a flood on one busy edge does not cut
 * a quiet edge's flow short; then the oldest.
 */
function boundFlows(flows: EdgeFlow[], max: number): EdgeFlow[] {
  if (flows.length <= max) return flows;
  const seen = new Set<string>();
  const kept: EdgeFlow[] = [];
  for (let i = flows.length - 1; i >= 0; i--) {
    const f = flows[i]!;
    const key = f.edgeId !== null ? `#${f.edgeId}` : JSON.stringify([f.sourceNodeId, f.targetNodeId]);
    if (!seen.has(key)) kept.push(f);
    seen.add(key);
  }
  return newest(kept.reverse(), max);
}

/** Sets a node's entry; a plain assignment to `__proto__` would replace the record's prototype instead. */
const setNode = (nodes: Record<string, NodeRunState>, id: string, node: NodeRunState) =>
  Object.defineProperty(nodes, id, { value: node, enumerable: true, writable: true, configurable: true });

/** The state with one node replaced: the node record is copied once per batch (`draft`), else per message. */
function withNode(s: WorkflowState, id: string, node: NodeRunState, draft?: WeakSet<object>): WorkflowState {
  let nodes = s.nodeStatuses;
  if (!draft?.has(nodes)) {
    nodes = { ...nodes };
    draft?.add(nodes);
  }
  setNode(nodes, id, node);
  return { ...s, nodeStatuses: nodes };
}

/** A node's own entry (a node called `constructor` is not Object's), if the run has one. */
const nodeOf = (s: WorkflowState, id: string | null | undefined) =>
  id != null && Object.hasOwn(s.nodeStatuses, id) ? s.nodeStatuses[id] : undefined;
const time = (iso: string | null | undefined) => (iso ? parseTimestamp(iso) : undefined);
const percent = (p: number) => Math.min(100, Math.max(0, p));
const isLive = (s: WorkflowState) => (s.runStatus === 'running' || s.runStatus === 'paused') && !s.stale;

/** A node from a `node_status` message or a snapshot entry; the duration once both ends are known. */
function toNode(
  d: Pick<SnapshotNode, 'status' | 'result' | 'error' | 'result_ref'> & { progress?: number | null | undefined },
  startedAt?: number,
  finishedAt?: number,
): NodeRunState {
  const node: NodeRunState = { status: d.status, result: d.result ?? undefined, error: d.error ?? null };
  if (d.result_ref) node.resultRef = d.result_ref;
  if (d.progress != null) node.progress = percent(d.progress);
  if (startedAt !== undefined) node.startedAt = startedAt;
  if (finishedAt !== undefined) {
    node.finishedAt = finishedAt;
    if (startedAt !== undefined) node.durationMs = Math.max(0, finishedAt - startedAt);
  }
  return node;
}

function logEntry(l: Pick<LogData, 'level' | 'message' | 'node_id'>, time: number, executionId: string, seq?: number): LogEntry {
  const entry: LogEntry = { level: l.level, message: l.message, nodeId: l.node_id ?? null, time, executionId };
  if (seq !== undefined) entry.seq = seq;
  return entry;
}

const runError = (e: Pick<ErrorData, 'error' | 'node_id'>, time: number, executionId: string): RunError => ({
  message: e.error,
  nodeId: e.node_id ?? null,
  time,
  executionId,
});

/**
 * A run starting from a blank slate (at `startedAt`, server clock), every node
 * of `order` pending; only identity, bookkeeping, the connection and server
 * metrics carry over.
 */
function blankRun(s: WorkflowState, startedAt: number | null, order: string[], totalNodes = order.length): WorkflowState {
  const nodeStatuses: Record<string, NodeRunState> = {};
  for (const id of order) setNode(nodeStatuses, id, { status: 'pending' });
  return {
    ...s,
    ...blankRunFields(),
    executionOrder: order,
    totalNodes,
    totalSteps: totalNodes,
    runStatus: 'running',
    runStartedAt: startedAt,
    nodeStatuses,
  };
}

/** Nodes still `running` when a run ends are settled, so nothing spins forever. */
function settleRunning(nodes: Record<string, NodeRunState>, success: boolean, at: number) {
  let out = nodes;
  for (const id in nodes) {
    const node = nodes[id] as NodeRunState;
    if (node.status !== 'running') continue;
    if (out === nodes) out = { ...nodes };
    const settled: NodeRunState = {
      ...node,
      status: success ? 'completed' : 'error',
      error: success ? node.error : 'The run ended before this node finished',
      finishedAt: at,
    };
    if (node.startedAt !== undefined) settled.durationMs = Math.max(0, at - node.startedAt);
    setNode(out, id, settled);
  }
  return out;
}

/**
 * Applies one server message to the state, per the seed spec's semantics.
 * Pure: returns the same object when the message changes nothing (a duplicate
 * `seq`, a straggler of an older execution, a `pong`), so repeating a message is safe.
 *
 * Messages of an execution are ignored when they are another workflow's, a
 * straggler of a retired execution, a `seq` already applied, or a concurrent
 * older run's while the one on screen is live. A newer run (one whose start
 * we missed) replaces the run on screen from a blank slate, never mixing the
 * two. A snapshot replaces what we know of the run unless it is older than
 * what we have; one with no execution means the server lost the run we show.
 *
 * @example
 * let state = createInitialState('123');
 * state = reduceWorkflow(state, message, { now: Date.now() });
 */
export function reduceWorkflow(state: WorkflowState, message: ServerMessage, context: ReduceContext = {}): WorkflowState {
  if (message.type === 'pong') return state;
  const { draft } = context;
  const limits = withDefaults(DEFAULT_LIMITS, context.limits);
  const at = parseTimestamp(message.timestamp) ?? 0;
  const now = context.now ?? at;
  if (message.type === 'metrics') return { ...state, metrics: appendTo(state.metrics, { ...message.data, time: now }, limits.maxMetrics) };

  const d = message.data;
  const id = d.execution_id;
  if ((state.workflowId !== null && d.workflow_id !== state.workflowId) || state.pastExecutionIds.includes(id as string)) return state;
  // The server knows no run (it restarted): a live run on screen is stale, and the new server's clock is not the old one's.
  if (id === null)
    return isLive(state) || state.runStartedAt !== null ? { ...state, stale: state.stale || isLive(state), runStartedAt: null } : state;
  let s = state;
  if (id === state.executionId) {
    if (message.seq !== undefined && state.lastSeq !== null && message.seq <= state.lastSeq) return state;
  } else {
    // Stamped before the run on screen started: an older run's, however long the current one has been quiet.
    // A start is exempt: in an ordered stream an older run's start never follows a newer one's, but a clock can step back.
    // A snapshot says when its run started: one of a run older than the one on screen (a server sending
    // the snapshots of several live runs) is an older run's too.
    const started = message.type === 'workflow_start' || message.type === 'snapshot';
    const startedAt = message.type === 'snapshot' ? time(message.data.started_at) : undefined;
    if (state.runStartedAt !== null && (started ? (startedAt ?? Infinity) : at) < state.runStartedAt) {
      // An older live run's snapshot: retired, so its later messages never pass for a newer run's once the one on screen ends.
      return message.type === 'snapshot'
        ? { ...state, pastExecutionIds: appendTo(state.pastExecutionIds, id, limits.maxPastExecutions) }
        : state;
    }
    const recent = state.lastEventAt !== null && now - state.lastEventAt < limits.adoptAfterMs;
    if (!started && isLive(state) && recent) return state;
    const pastExecutionIds =
      state.executionId === null ? state.pastExecutionIds : appendTo(state.pastExecutionIds, state.executionId, limits.maxPastExecutions);
    s = blankRun({ ...state, executionId: id, lastSeq: null, pastExecutionIds }, at, []);
  }
  // A message of the run is news from a server that knows it: whatever said it was forgotten is past.
  s = { ...s, lastSeq: message.seq ?? s.lastSeq, lastEventAt: now, stale: false };

  switch (message.type) {
    case 'snapshot': {
      const d = message.data;
      const order = d.execution_order;
      // A server that does not say when the run started leaves what we knew of this run.
      const startedAt = time(d.started_at) ?? (id === state.executionId ? state.runStartedAt : null);
      const blank = blankRun({ ...s, lastSeq: message.seq ?? null }, startedAt, order, d.total_nodes ?? order.length);
      for (const nodeId in d.nodes) {
        const n = d.nodes[nodeId] as SnapshotNode;
        setNode(blank.nodeStatuses, nodeId, toNode(n, time(n.started_at), time(n.finished_at)));
      }
      const lines = d.logs.map((l) => logEntry(l, time(l.timestamp) ?? at, id, l.seq ?? undefined));
      const serverDropped = d.dropped_logs ?? 0;
      // The run on screen, after a gap too long to replay: the lines we have from before the snapshot's
      // first one stay (a snapshot carries only the newest lines), if no line is missing in between
      // (the server's count of lines before its first is ours). Without seq there is no telling.
      const first = lines.length ? lines[0]!.seq : Infinity;
      // Lines appended earlier in this batch are not trimmed yet: read them as the bound leaves them.
      const kept = newest(state.logs, limits.maxLogs);
      const droppedSoFar = state.droppedLogs + state.logs.length - kept.length;
      let before = id === state.executionId && first !== undefined ? kept.filter((l) => l.seq! < first) : [];
      if (droppedSoFar + before.length < serverDropped) before = [];
      const logs = newest([...before, ...lines], limits.maxLogs);
      const shownBefore = before.length ? droppedSoFar + before.length : serverDropped;
      return {
        ...blank,
        joined: true,
        // A peer that leaves `run_state` out still says whether the run ended, by `success`.
        runStatus: d.run_state ?? (d.success == null ? 'running' : d.success ? 'completed' : 'failed'),
        cancelReason: d.cancel_reason ?? null,
        // Every line of the run not shown: those before the snapshot's first, less those we keep.
        droppedLogs: shownBefore + lines.length - logs.length,
        progress: percent(d.progress),
        currentStep: d.current_step ?? 0,
        totalSteps: d.total_steps ?? order.length,
        currentNodeId: d.current_node_id ?? null,
        success: d.success ?? null,
        executionTime: d.execution_time ?? null,
        completionErrors: d.completion_errors ?? [],
        // Entries without a time of their own are as old as the snapshot, at most.
        logs,
        errors: newest(d.errors, limits.maxErrors).map((e) => runError(e, time(e.timestamp) ?? at, id)),
      };
    }
    case 'workflow_start':
      return blankRun(s, at, message.data.execution_order, message.data.total_nodes);
    case 'node_status': {
      const d = message.data;
      const status = d.status;
      const before = nodeOf(s, d.node_id);
      // A running node's progress updates (`running` again, with `progress`) keep the time it started.
      const startedAt = status === 'running' ? (before?.status === 'running' ? (before.startedAt ?? at) : at) : before?.startedAt;
      const node = toNode(d, startedAt, status === 'completed' || status === 'error' ? at : undefined);
      return { ...withNode(s, d.node_id, node, draft), runStatus: status === 'running' ? 'running' : s.runStatus };
    }
    case 'edge_flow': {
      const d = message.data;
      const serial = s.flowSerial + 1;
      // Expired flows go once per batch (every message of a batch has the same `now`), not once per message.
      let flows = s.edgeFlows;
      // Without a clock for the batch, each message is its own `now`.
      if (!draft?.has(flows) || context.now === undefined) {
        flows = flows.filter((f) => f.expiresAt > now);
        draft?.add(flows);
      }
      const flow = {
        id: `${id}:${serial}`,
        sourceNodeId: d.source_node_id,
        targetNodeId: d.target_node_id,
        edgeId: d.edge_id ?? null,
        data: d.data ?? null,
        timestamp: message.timestamp,
        receivedAt: now,
        expiresAt: now + limits.edgeFlowDurationMs,
      };
      flows = appendTo(flows, flow, Infinity, draft);
      return { ...s, flowSerial: serial, edgeFlows: draft ? flows : boundFlows(flows, limits.maxEdgeFlows) };
    }
    case 'progress': {
      const d = message.data;
      return {
        ...s,
        progress: percent(d.progress),
        currentStep: d.current_step,
        totalSteps: d.total_steps,
        currentNodeId: d.current_node_id ?? null,
      };
    }
    case 'log': {
      const logs = appendTo(s.logs, logEntry(message.data, at, id, message.seq), limits.maxLogs, draft);
      const dropped = draft ? 0 : s.logs.length + 1 - logs.length;
      return { ...s, logs, droppedLogs: s.droppedLogs + dropped };
    }
    case 'error': {
      const d = message.data;
      const next = { ...s, errors: appendTo(s.errors, runError(d, at, id), limits.maxErrors, draft) };
      // The spec's "colour the node red, show the message": an error at a node not yet finished
      // (or failed without a message) fails it, for backends that send no `node_status` error.
      const node = nodeOf(s, d.node_id);
      if (!node || node.status === 'completed' || (node.status === 'error' && node.error)) return next;
      const failed = toNode({ status: 'error', error: d.error, result: null, result_ref: null }, node.startedAt, at);
      return withNode(next, d.node_id!, failed, draft);
    }
    case 'workflow_complete': {
      const d = message.data;
      const success = d.success;
      return {
        ...s,
        runStatus: success ? 'completed' : s.runStatus === 'cancelled' ? 'cancelled' : 'failed',
        progress: 100,
        currentNodeId: null,
        success,
        executionTime: d.execution_time,
        completionErrors: d.errors ?? [],
        nodeStatuses: settleRunning(s.nodeStatuses, success, at),
      };
    }
    case 'run_state': {
      const d = message.data;
      return { ...s, runStatus: d.state, cancelReason: d.state === 'cancelled' ? (d.reason ?? 'cancelled') : s.cancelReason };
    }
    default:
      return state;
  }
}

/**
 * Removes edge flows whose time is up. Returns the same state when none expired.
 *
 * @example
 * state = expireEdgeFlows(state, Date.now());
 */
export function expireEdgeFlows(state: WorkflowState, now: number): WorkflowState {
  const kept = state.edgeFlows.filter((f) => f.expiresAt > now);
  return kept.length === state.edgeFlows.length ? state : { ...state, edgeFlows: kept };
}

/**
 * Applies a batch of messages as one step: the result equals reducing them one
 * by one, but collections are copied once per batch rather than once per
 * message, and the log and error bounds are applied once at the end.
 *
 * @example
 * state = reduceWorkflowBatch(state, queuedMessages, { now: Date.now() });
 */
export function reduceWorkflowBatch(state: WorkflowState, messages: readonly ServerMessage[], context: ReduceContext = {}): WorkflowState {
  const limits = withDefaults(DEFAULT_LIMITS, context.limits);
  const step = { ...context, limits, draft: new WeakSet<object>() };
  let s = state;
  for (const m of messages) s = reduceWorkflow(s, m, step);
  const overflow = s.logs.length - limits.maxLogs;
  if (overflow > 0) s = { ...s, logs: s.logs.slice(overflow), droppedLogs: s.droppedLogs + overflow };
  if (s.errors.length > limits.maxErrors) s = { ...s, errors: newest(s.errors, limits.maxErrors) };
  if (s.edgeFlows.length > limits.maxEdgeFlows) s = { ...s, edgeFlows: boundFlows(s.edgeFlows, limits.maxEdgeFlows) };
  // Bounds lowered since (`configure`) apply with the next burst, whatever it holds.
  if (s.metrics.length > limits.maxMetrics) s = { ...s, metrics: newest(s.metrics, limits.maxMetrics) };
  if (s.pastExecutionIds.length > limits.maxPastExecutions)
    s = { ...s, pastExecutionIds: newest(s.pastExecutionIds, limits.maxPastExecutions) };
  return s;
}
