import type { LogLevel, MetricsData, NodeStatus } from '../protocol';
import { blankRunFields } from './internal';

/** One node's run state, as the canvas shows it. */
export interface NodeRunState {
  status: NodeStatus;
  /** The node's result, once `completed`. */
  result?: unknown;
  /** The error message, once `error`. */
  error?: string | null | undefined;
  /** Epoch ms (server clock) when it started running. */
  startedAt?: number | undefined;
  /** Epoch ms (server clock) when it completed or failed. */
  finishedAt?: number | undefined;
  /** `finishedAt - startedAt`, when both are known. */
  durationMs?: number | undefined;
  /** HTTP path of a result too large for the stream (`fetchResult` gets it). */
  resultRef?: string | undefined;
  /** The node's own percent done (0..100), when the server sends `progress` with its `node_status`. */
  progress?: number | undefined;
}

/** Data passing along an edge; expires `edgeFlowDurationMs` after it arrived. */
export interface EdgeFlow {
  /** Unique per flow, so a repeated flow on one edge restarts its animation. */
  id: string;
  sourceNodeId: string;
  targetNodeId: string;
  edgeId: string | null;
  data: unknown;
  /** The message's own timestamp, as sent. */
  timestamp: string;
  /** Client epoch ms when it arrived, and when it is removed. */
  receivedAt: number;
  expiresAt: number;
}

/** A log line. */
export interface LogEntry {
  level: LogLevel;
  message: string;
  nodeId: string | null;
  /** Epoch ms (server clock). */
  time: number;
  executionId: string;
  /** The `seq` of the message that sent it, when the server numbers messages. */
  seq?: number | undefined;
}

/** An error reported during the run (an `error` message). */
export interface RunError {
  message: string;
  nodeId: string | null;
  /** Epoch ms (server clock). */
  time: number;
  executionId: string;
}

/** Where the current execution is. `idle` until the first message of a run. */
export type RunStatus = 'idle' | 'running' | 'paused' | 'completed' | 'failed' | 'cancelled';

/** One `metrics` sample, stamped with the client time it arrived. */
export type MetricsSample = MetricsData & { time: number };

/** The socket's life, as the connection manager reports it. */
export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Why the connection is closed or reconnecting. */
export type CloseReason = 'not-started' | 'client' | 'server' | 'fatal' | 'max-attempts' | 'heartbeat-timeout' | 'offline' | 'error';

/** Connection state, mirrored into the store for the canvas to show. */
export interface ConnectionState {
  status: ConnectionStatus;
  /** Reconnect attempts since the last stable open. */
  attempt: number;
  closeCode: number | null;
  closeReason: string | null;
  /** Why we are not open, in flowpulse's words. */
  why: CloseReason | null;
  /** Epoch ms of the next reconnect attempt, while `reconnecting`. */
  nextRetryAt: number | null;
}

/** A message the client could not accept; kept for the `errors` channel. */
export interface ReportedProblem {
  message: string;
  code: string;
  time: number;
}

/** Everything the client knows about a workflow's latest execution. */
export interface WorkflowState {
  workflowId: string | null;
  executionId: string | null;
  executionOrder: string[];
  totalNodes: number;
  runStatus: RunStatus;
  /**
   * What is shown of this run came from a snapshot: the page joined it under way or after
   * it ended (or came back past the server's replay buffer). Panels do not announce as news
   * what was already so when they first saw the run.
   */
  joined: boolean;
  /**
   * The server no longer knows this run (it restarted): what is on screen is
   * the last thing we heard, not the truth. Running nodes are shown as unknown.
   */
  stale: boolean;
  /** Running nodes with no event for `stalledAfterMs` (while connected). */
  stalledNodeIds: string[];
  /** Why the run was cancelled, from `run_state`. */
  cancelReason: string | null;
  /** Recent `metrics` samples, oldest first, when the client opted in. Bounded. */
  metrics: MetricsSample[];
  /** `{ [nodeId]: { status, result?, error? } }`, as the seed's hook. */
  nodeStatuses: Record<string, NodeRunState>;
  edgeFlows: EdgeFlow[];
  /** Percent, 0..100. */
  progress: number;
  currentStep: number;
  totalSteps: number;
  /** The node running now, as the last `progress` named it. */
  currentNodeId: string | null;
  success: boolean | null;
  /** Seconds, from `workflow_complete`. */
  executionTime: number | null;
  /** `workflow_complete.errors`, verbatim. */
  completionErrors: unknown[];
  errors: RunError[];
  logs: LogEntry[];
  /** Log lines dropped from the front of the ring buffer. */
  droppedLogs: number;
  /**
   * Server-clock epoch ms the run on screen started: its `workflow_start`, its
   * snapshot's `started_at`, or the first message we saw of it. A message of
   * another execution stamped earlier belongs to an older run and is ignored.
   */
  runStartedAt: number | null;
  /** Highest `seq` applied for the current execution. */
  lastSeq: number | null;
  /** Client epoch ms of the last message of the current execution. */
  lastEventAt: number | null;
  /** Executions replaced by a newer one; their late messages are ignored. Bounded. */
  pastExecutionIds: string[];
  /** Counter for edge flow ids. */
  flowSerial: number;
  connection: ConnectionState;
  /** Messages that could not be accepted (malformed, socket errors). Bounded. */
  problems: ReportedProblem[];
}

/** Bounds and lifetimes the reducer applies. */
export interface ReducerLimits {
  /** @default 3000 */
  edgeFlowDurationMs: number;
  /**
   * Edge flows kept at once. Past it, flows with a newer one on the same
   * edge go first (a canvas shows the newest flow of each edge), then the
   * oldest: a flood on one busy edge does not cut a quiet edge's flow short.
   * @default 1000
   */
  maxEdgeFlows: number;
  /** @default 1000 */
  maxLogs: number;
  /** @default 200 */
  maxErrors: number;
  /**
   * Runs replaced on screen whose late messages are recognised and ignored.
   * More than the server's live runs per workflow, or a retired run still
   * going could later pass for a newer one (the reference server allows 20).
   * @default 100
   */
  maxPastExecutions: number;
  /** @default 60 */
  maxMetrics: number;
  /**
   * A message of an unknown execution, not its start, is taken for a
   * concurrent older run (and ignored) while the run on screen is live and
   * was heard from within this time; after that it is taken for a newer run
   * whose start we missed (and shown, from a blank slate).
   * @default 10000
   */
  adoptAfterMs: number;
}

/**
 * The default bounds.
 *
 * @example
 * createWorkflowStore({ maxLogs: DEFAULT_LIMITS.maxLogs * 5 });
 */
export const DEFAULT_LIMITS: ReducerLimits = {
  edgeFlowDurationMs: 3000,
  maxEdgeFlows: 1000,
  maxLogs: 1000,
  maxErrors: 200,
  maxPastExecutions: 100,
  maxMetrics: 60,
  adoptAfterMs: 10_000,
};

/**
 * The connection state before `connect()`.
 *
 * @example
 * const waiting = state.connection === INITIAL_CONNECTION; // never connected yet
 */
export const INITIAL_CONNECTION: ConnectionState = {
  status: 'closed',
  attempt: 0,
  closeCode: null,
  closeReason: null,
  why: 'not-started',
  nextRetryAt: null,
};

/**
 * A fresh state: no execution, nothing connected.
 *
 * @example
 * const state = createInitialState('123');
 */
export function createInitialState(workflowId: string | null = null): WorkflowState {
  return {
    workflowId,
    executionId: null,
    lastSeq: null,
    lastEventAt: null,
    pastExecutionIds: [],
    flowSerial: 0,
    connection: INITIAL_CONNECTION,
    problems: [],
    metrics: [],
    ...blankRunFields(),
  };
}
