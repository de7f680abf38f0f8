/**
 * Wire types of the flowpulse protocol: the seed spec's seven server messages,
 * the `pong` heartbeat answer, and the additive extensions (`seq`, `node_id`
 * on logs). Field names are the wire's snake_case, exactly as the spec shows.
 */

/** A node's state. The spec's four, in the order a node moves through them. */
export type NodeStatus = 'pending' | 'running' | 'completed' | 'error';

/** The spec's log levels. */
export type LogLevel = 'info' | 'warning' | 'error';

/** Every server message's `data` carries these two ids. */
export interface ExecutionRef {
  workflow_id: string;
  execution_id: string;
}

/**
 * The envelope shared by every server message but `pong`.
 * Unknown extra fields (top level or in `data`) are kept by the parser.
 */
export interface Envelope<TType extends string, TData> {
  type: TType;
  /** ISO-8601, with or without zone; the seed sends local time with microseconds. */
  timestamp: string;
  /**
   * Extension: increasing per execution. A client ignores a message whose
   * `seq` is not newer than the last one it applied; old peers ignore the field.
   */
  seq?: number | undefined;
  data: TData;
  [extra: string]: unknown;
}

/** `workflow_start`: a run begins; every node of `execution_order` is pending. */
export interface WorkflowStartData extends ExecutionRef {
  execution_order: string[];
  total_nodes: number;
  [extra: string]: unknown;
}

/** `workflow_complete`: the run ended; `errors` are the backend's reasons (strings or `{ node_id, error }`), `null` read as none. */
export interface WorkflowCompleteData extends ExecutionRef {
  success: boolean;
  /** Seconds. */
  execution_time: number;
  errors: unknown[];
  [extra: string]: unknown;
}

/** `node_status`: one node's new state, with its result once `completed` or its message once `error`. */
export interface NodeStatusData extends ExecutionRef {
  node_id: string;
  status: NodeStatus;
  result: unknown;
  error: string | null;
  progress: number | null;
  /**
   * Extension: the result was larger than the server streams; `result` is
   * then `null` and the full value is at this HTTP path (see `fetchResult`).
   */
  result_ref?: string | null | undefined;
  [extra: string]: unknown;
}

/** `edge_flow`: data passed from one node to the next; `edge_id` names the edge when the graph has parallel ones. */
export interface EdgeFlowData extends ExecutionRef {
  source_node_id: string;
  target_node_id: string;
  edge_id: string | null;
  data: unknown;
  [extra: string]: unknown;
}

/** `progress`: how far the run is, and the node running now. */
export interface ProgressData extends ExecutionRef {
  current_step: number;
  total_steps: number;
  /** Percent, 0..100. */
  progress: number;
  current_node_id: string | null;
  [extra: string]: unknown;
}

/** `log`: a line of the run's log. */
export interface LogData extends ExecutionRef {
  level: LogLevel;
  message: string;
  /** Extension: the node that logged the line. */
  node_id?: string | null | undefined;
  [extra: string]: unknown;
}

/** `error`: something went wrong, at a node (`node_id`) or in the run. */
export interface ErrorData extends ExecutionRef {
  error: string;
  node_id?: string | null | undefined;
  [extra: string]: unknown;
}

/** The spec's `workflow_start` message. */
export type WorkflowStartMessage = Envelope<'workflow_start', WorkflowStartData>;
/** The spec's `workflow_complete` message. */
export type WorkflowCompleteMessage = Envelope<'workflow_complete', WorkflowCompleteData>;
/** The spec's `node_status` message. */
export type NodeStatusMessage = Envelope<'node_status', NodeStatusData>;
/** The spec's `edge_flow` message. */
export type EdgeFlowMessage = Envelope<'edge_flow', EdgeFlowData>;
/** The spec's `progress` message. */
export type ProgressMessage = Envelope<'progress', ProgressData>;
/** The spec's `log` message. */
export type LogMessage = Envelope<'log', LogData>;
/** The spec's `error` message. */
export type ErrorMessage = Envelope<'error', ErrorData>;

/** The heartbeat answer: no timestamp, no data. */
export interface PongMessage {
  type: 'pong';
  workflow_id: string;
  [extra: string]: unknown;
}

/** Extension: where an execution is. `running` and `paused` are live; the rest are final. */
export type RunState = 'running' | 'paused' | 'cancelled' | 'completed' | 'failed';

/** Extension: the run state changed (pause, resume, cancel). */
export interface RunStateData extends ExecutionRef {
  state: RunState;
  /** Why, for a cancel: `cancelled by user`. */
  reason: string | null;
  [extra: string]: unknown;
}

/** One node inside a {@link SnapshotData}. Timestamps are ISO strings as in messages. */
export interface SnapshotNode {
  status: NodeStatus;
  result: unknown;
  error: string | null;
  started_at: string | null;
  finished_at: string | null;
  /** Set when the result was too large for the stream; fetch it over HTTP. */
  result_ref?: string | null | undefined;
  [extra: string]: unknown;
}

/**
 * Extension: the whole state of an execution, sent to a client that joins
 * late or whose missed messages are no longer buffered. `execution_id` is
 * `null` when the server knows no run of this workflow (it restarted, or none ran).
 * Its envelope `seq` is the execution's last `seq`: live messages continue after it.
 */
export interface SnapshotData {
  workflow_id: string;
  execution_id: string | null;
  run_state: RunState | null;
  execution_order: string[];
  total_nodes: number;
  nodes: Record<string, SnapshotNode>;
  current_step: number;
  total_steps: number;
  progress: number;
  current_node_id: string | null;
  /**
   * The newest log lines. Each may carry the `seq` of the `log` message that
   * sent it, so a client that already shows older lines of the run keeps them.
   */
  logs: { level: LogLevel; message: string; node_id: string | null; timestamp: string; seq?: number | null | undefined }[];
  errors: { error: string; node_id: string | null; timestamp: string }[];
  success: boolean | null;
  execution_time: number | null;
  completion_errors: unknown[];
  /** Why the run was cancelled, when it was. */
  cancel_reason?: string | null | undefined;
  /** Log lines the server dropped from this run's bounded log. */
  dropped_logs?: number | undefined;
  /** When the run started (the `timestamp` of its `workflow_start`). */
  started_at?: string | null | undefined;
  [extra: string]: unknown;
}

/** Extension: server health, sent periodically to clients that opted in. */
export interface MetricsData {
  cpu_percent: number;
  rss_mb: number;
  heap_used_mb: number;
  event_loop_delay_p99_ms: number;
  active_executions: number;
  connected_clients: number;
  [extra: string]: unknown;
}

/** Extension: `run_state`, a run paused, resumed, cancelled or ended. */
export type RunStateMessage = Envelope<'run_state', RunStateData>;
/** Extension: `snapshot`, everything known of a run, for a client that joins or comes back past the replay buffer. */
export type SnapshotMessage = Envelope<'snapshot', SnapshotData>;
/** Extension: `metrics`, a server health sample, sent to clients that asked (`?metrics=1`). */
export type MetricsMessage = Envelope<'metrics', MetricsData>;

/** A message about an execution: every server message but `pong` and `metrics`. */
export type ExecutionMessage =
  | WorkflowStartMessage
  | WorkflowCompleteMessage
  | NodeStatusMessage
  | EdgeFlowMessage
  | ProgressMessage
  | LogMessage
  | ErrorMessage
  | RunStateMessage;

/** Any message a flowpulse server sends, discriminated on `type`. */
export type ServerMessage = ExecutionMessage | SnapshotMessage | MetricsMessage | PongMessage;

/** The `type` of any server message. */
export type ServerMessageType = ServerMessage['type'];

/** Why a message was rejected. */
export type ProtocolErrorCode = 'invalid_json' | 'not_an_object' | 'unknown_type' | 'invalid_field';

/** A rejected message: what was wrong, and the raw input for the report. */
export interface ProtocolError {
  code: ProtocolErrorCode;
  /** Human-readable, names the field: `node_status.data.status must be one of pending, running, completed, error`. */
  message: string;
  /** The message `type`, when it could be read. */
  type?: string | undefined;
  /** Dotted path of the bad field, e.g. `data.status`. */
  path?: string | undefined;
  raw: unknown;
}

/** The result of parsing: never throws. */
export type ParseResult = { ok: true; message: ServerMessage } | { ok: false; error: ProtocolError };
