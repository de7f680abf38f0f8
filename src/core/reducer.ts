import { parseTimestamp, type ExecutionMessage, type ServerMessage, type SnapshotMessage, type SnapshotNode } from '../protocol';
import { createInitialState, DEFAULT_LIMITS, type NodeRunState, type ReducerLimits, type WorkflowState } from './state';

/** What the reducer needs from outside the message: the clock and the bounds. */
export interface ReduceContext {
  /** Client epoch ms, for edge-flow expiry. Defaults to the message's timestamp. */
  now?: number;
  limits?: Partial<ReducerLimits>;
  /**
   * Collections created while reducing the current batch: nobody has seen
   * them yet, so they are grown in place instead of copied per message.
   * Set by {@link reduceWorkflowBatch}.
   */
  draft?: WeakSet<object>;
}

/** Appends in place to a draft list (trimmed once at the end of the batch), else copies with the bound. */
function appendTo<T>(list: T[], item: T, max: number, draft?: WeakSet<object>): T[] {
  if (draft?.has(list)) {
    list.push(item);
    return list;
  }
  const next = [...list, item];
  if (!draft) return next.length > max ? next.slice(next.length - max) : next;
  draft.add(next);
  return next;
}

/**
 * The state to apply a message to, or `null` to ignore it: another workflow's,
 * a straggler of a retired execution, a `seq` already applied, or a concurrent
 * older run while the one on screen is live. A newer run (one whose start we
 * missed) replaces the run on screen from a blank slate, never mixing the two.
 */
function admit(state: WorkflowState, m: ExecutionMessage, limits: ReducerLimits, now: number): WorkflowState | null {
  const id = m.data.execution_id;
  if (state.workflowId !== null && m.data.workflow_id !== state.workflowId) return null;
  if (state.pastExecutionIds.includes(id)) return null;
  if (id === state.executionId) {
    if (m.seq !== undefined && state.lastSeq !== null && m.seq <= state.lastSeq) return null;
    return state;
  }
  const live = (state.runStatus === 'running' || state.runStatus === 'paused') && !state.stale;
  const recent = state.lastEventAt !== null && now - state.lastEventAt < limits.adoptAfterMs;
  if (m.type !== 'workflow_start' && live && recent) return null;
  return blankRun(state, id, null, retire(state, limits.maxPastExecutions), [], 0);
}

/** The past-execution list once the current execution is replaced. */
const retire = (state: WorkflowState, maxPast: number) =>
  state.executionId === null ? state.pastExecutionIds : appendTo(state.pastExecutionIds, state.executionId, maxPast);

const time = (iso: string | null | undefined) => (iso ? parseTimestamp(iso) : undefined);

function nodeFromSnapshot(n: SnapshotNode): NodeRunState {
  const node: NodeRunState = { status: n.status, result: n.result ?? undefined, error: n.error ?? null };
  const startedAt = time(n.started_at);
  const finishedAt = time(n.finished_at);
  if (startedAt !== undefined) node.startedAt = startedAt;
  if (finishedAt !== undefined) node.finishedAt = finishedAt;
  if (startedAt !== undefined && finishedAt !== undefined) node.durationMs = Math.max(0, finishedAt - startedAt);
  if (n.result_ref) node.resultRef = n.result_ref;
  return node;
}

/**
 * A run starting from a blank slate, every node of its order pending; only
 * identity, bookkeeping, the connection and server metrics carry over.
 */
function blankRun(
  s: WorkflowState,
  executionId: string,
  lastSeq: number | null,
  pastExecutionIds: string[],
  order: string[],
  totalNodes: number,
): WorkflowState {
  const nodeStatuses: Record<string, NodeRunState> = {};
  for (const id of order) nodeStatuses[id] = { status: 'pending' };
  return {
    ...createInitialState(s.workflowId),
    connection: s.connection,
    problems: s.problems,
    metrics: s.metrics,
    flowSerial: s.flowSerial,
    executionId,
    lastSeq,
    pastExecutionIds,
    executionOrder: order,
    totalNodes,
    totalSteps: totalNodes,
    runStatus: 'running',
    nodeStatuses,
  };
}

/**
 * A snapshot replaces what we know of the run, unless it is older than what
 * we have. One with no execution means the server lost the run we show.
 */
function applySnapshot(state: WorkflowState, m: SnapshotMessage, limits: ReducerLimits, now: number): WorkflowState {
  const d = m.data;
  if (state.workflowId !== null && d.workflow_id !== state.workflowId) return state;
  const id = d.execution_id;
  if (id === null) {
    const live = state.runStatus === 'running' || state.runStatus === 'paused';
    return live && !state.stale ? { ...state, stale: true } : state;
  }
  if (state.pastExecutionIds.includes(id)) return state;
  if (id === state.executionId && m.seq !== undefined && state.lastSeq !== null && m.seq <= state.lastSeq) return state;
  const pastExecutionIds = id === state.executionId ? state.pastExecutionIds : retire(state, limits.maxPastExecutions);
  const blank = blankRun(state, id, m.seq ?? null, pastExecutionIds, d.execution_order, d.total_nodes ?? d.execution_order.length);
  const nodeStatuses = blank.nodeStatuses;
  for (const nodeId in d.nodes) nodeStatuses[nodeId] = nodeFromSnapshot(d.nodes[nodeId] as SnapshotNode);
  return {
    ...blank,
    lastEventAt: now,
    runStatus: d.run_state ?? 'running',
    cancelReason: d.cancel_reason ?? null,
    droppedLogs: d.dropped_logs ?? 0,
    progress: Math.min(100, Math.max(0, d.progress)),
    currentStep: d.current_step ?? 0,
    totalSteps: d.total_steps ?? d.execution_order.length,
    currentNodeId: d.current_node_id ?? null,
    success: d.success ?? null,
    executionTime: d.execution_time ?? null,
    completionErrors: d.completion_errors ?? [],
    logs: d.logs
      .slice(-limits.maxLogs)
      .map((l) => ({ level: l.level, message: l.message, nodeId: l.node_id ?? null, time: time(l.timestamp) ?? 0, executionId: id })),
    errors: d.errors
      .slice(-limits.maxErrors)
      .map((e) => ({ message: e.error, nodeId: e.node_id ?? null, time: time(e.timestamp) ?? 0, executionId: id })),
  };
}

function setNode(state: WorkflowState, nodeId: string, node: NodeRunState, draft?: WeakSet<object>): WorkflowState {
  let nodes = state.nodeStatuses;
  if (!draft?.has(nodes)) {
    nodes = { ...nodes };
    draft?.add(nodes);
  }
  nodes[nodeId] = node;
  return { ...state, nodeStatuses: nodes };
}

/** Nodes still `running` when a run ends are settled, so nothing spins forever. */
function settleRunning(nodes: Record<string, NodeRunState>, success: boolean, at: number) {
  let out = nodes;
  for (const id in nodes) {
    const node = nodes[id] as NodeRunState;
    if (node.status !== 'running') continue;
    if (out === nodes) out = { ...nodes };
    out[id] = {
      ...node,
      status: success ? 'completed' : 'error',
      error: success ? node.error : 'The run ended before this node finished',
      finishedAt: at,
      ...(node.startedAt === undefined ? {} : { durationMs: at - node.startedAt }),
    };
  }
  return out;
}

/**
 * Applies one server message to the state, per the seed spec's semantics.
 * Pure: returns the same object when the message changes nothing (a duplicate
 * `seq`, a straggler of an older execution, a `pong`), so repeating a message is safe.
 *
 * @example
 * let state = createInitialState('123');
 * state = reduceWorkflow(state, message, { now: Date.now() });
 */
export function reduceWorkflow(state: WorkflowState, message: ServerMessage, context: ReduceContext = {}): WorkflowState {
  if (message.type === 'pong') return state;
  const limits = { ...DEFAULT_LIMITS, ...context.limits };
  if (message.type === 'snapshot') return applySnapshot(state, message, limits, context.now ?? parseTimestamp(message.timestamp) ?? 0);
  if (message.type === 'metrics') {
    const sample = { ...message.data, time: context.now ?? parseTimestamp(message.timestamp) ?? 0 };
    return { ...state, metrics: appendTo(state.metrics, sample, limits.maxMetrics) };
  }
  const at = parseTimestamp(message.timestamp) ?? 0;
  const now = context.now ?? at;
  const admitted = admit(state, message, limits, now);
  if (!admitted) return state;
  const s: WorkflowState = { ...admitted, lastSeq: message.seq ?? admitted.lastSeq, lastEventAt: now };

  switch (message.type) {
    case 'workflow_start':
      return blankRun(s, s.executionId as string, s.lastSeq, s.pastExecutionIds, message.data.execution_order, message.data.total_nodes);
    case 'node_status': {
      const d = message.data;
      const { node_id: nodeId, status } = d;
      const prev = s.nodeStatuses[nodeId];
      const node: NodeRunState = { status, result: d.result ?? undefined, error: d.error ?? null };
      if (d.result_ref) node.resultRef = d.result_ref;
      if (status === 'running') node.startedAt = at;
      else if (prev?.startedAt !== undefined) node.startedAt = prev.startedAt;
      if (status === 'completed' || status === 'error') {
        node.finishedAt = at;
        if (node.startedAt !== undefined) node.durationMs = Math.max(0, at - node.startedAt);
      }
      const next = setNode(s, nodeId, node, context.draft);
      return status === 'running' && s.runStatus !== 'running' ? { ...next, runStatus: 'running' } : next;
    }
    case 'edge_flow': {
      const d = message.data;
      const serial = s.flowSerial + 1;
      return {
        ...s,
        flowSerial: serial,
        edgeFlows: [
          ...s.edgeFlows.filter((f) => f.expiresAt > now),
          {
            id: `${d.execution_id}:${serial}`,
            sourceNodeId: d.source_node_id,
            targetNodeId: d.target_node_id,
            edgeId: d.edge_id ?? null,
            data: d.data ?? null,
            timestamp: message.timestamp,
            receivedAt: now,
            expiresAt: now + limits.edgeFlowDurationMs,
          },
        ],
      };
    }
    case 'progress': {
      const d = message.data;
      return {
        ...s,
        progress: Math.min(100, Math.max(0, d.progress)),
        currentStep: d.current_step,
        totalSteps: d.total_steps,
        currentNodeId: d.current_node_id ?? null,
      };
    }
    case 'log': {
      const d = message.data;
      const entry = { level: d.level, message: d.message, nodeId: d.node_id ?? null, time: at, executionId: d.execution_id };
      const logs = appendTo(s.logs, entry, limits.maxLogs, context.draft);
      const dropped = context.draft ? 0 : s.logs.length + 1 - logs.length;
      return { ...s, logs, droppedLogs: s.droppedLogs + dropped };
    }
    case 'error': {
      const d = message.data;
      const entry = { message: d.error, nodeId: d.node_id ?? null, time: at, executionId: d.execution_id };
      return { ...s, errors: appendTo(s.errors, entry, limits.maxErrors, context.draft) };
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
        completionErrors: d.errors,
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
  const limits = { ...DEFAULT_LIMITS, ...context.limits };
  const step = { ...context, limits, draft: new WeakSet<object>() };
  let s = state;
  for (const m of messages) s = reduceWorkflow(s, m, step);
  const overflow = s.logs.length - limits.maxLogs;
  if (overflow > 0) s = { ...s, logs: s.logs.slice(overflow), droppedLogs: s.droppedLogs + overflow };
  if (s.errors.length > limits.maxErrors) s = { ...s, errors: s.errors.slice(-limits.maxErrors) };
  return s;
}
