import type { LogLevel, NodeStatus, RunState } from '../protocol';
import { jsonMemoryCost } from './json-safe';

/**
 * Where an execution is: the protocol's run state. `running` and `paused`
 * are live; `completed`, `failed` (a node error) and `cancelled` are final.
 *
 * @example
 * const finished = (s: ExecutionStatus) => !isLiveStatus(s);
 */
export type ExecutionStatus = RunState;

/**
 * Whether an execution in this state may still send messages.
 *
 * @example
 * isLiveStatus('paused'); // true
 */
export function isLiveStatus(status: ExecutionStatus): boolean {
  return status === 'running' || status === 'paused';
}

/**
 * One node within one execution.
 *
 * @example
 * { status: 'completed', result: { rows: 3 }, error: null, startedAt: '2025-…Z', finishedAt: '2025-…Z' }
 */
export interface NodeRunRecord {
  status: NodeStatus;
  /** JSON-safe copy of what the executor returned (always in full); `null` until completed. */
  result: unknown;
  /**
   * Set when the result was too large to stream: the HTTP path it is served
   * at, sent as `node_status.data.result_ref` instead of the value.
   */
  resultRef?: string | null | undefined;
  error: string | null;
  /** ISO-8601 UTC; the same instant as the `timestamp` of the message that reported it. */
  startedAt: string | null;
  finishedAt: string | null;
}

/**
 * A log line of an execution, as it was sent.
 *
 * @example
 * { seq: 4, timestamp: '2025-11-13T10:30:02.123000', level: 'info', message: 'loaded 12 rows', nodeId: 'load' }
 */
export interface ExecutionLogEntry {
  seq: number;
  timestamp: string;
  level: LogLevel;
  message: string;
  nodeId: string | null;
}

/**
 * An `error` message of an execution, as it was sent.
 *
 * @example
 * { seq: 9, timestamp: '2025-11-13T10:30:02.123000', error: 'Payment API returned 503', nodeId: 'pay' }
 */
export interface ExecutionErrorEntry {
  seq: number;
  timestamp: string;
  error: string;
  nodeId: string | null;
}

/**
 * Everything known about one execution; what
 * `GET /api/workflows/{id}/executions/{execution_id}` returns. It mirrors what
 * a client that saw every message would know, so a late client can catch up.
 *
 * @example
 * const record = await engine.execute(def).done;
 * record.status; // 'completed'
 */
export interface ExecutionRecord {
  executionId: string;
  workflowId: string;
  workflowName: string;
  status: ExecutionStatus;
  /** The `execution_order` of `workflow_start`. */
  executionOrder: string[];
  totalNodes: number;
  completedNodes: number;
  /** Percent, as the last `progress` message said; 100 once finished, as clients show it after `workflow_complete`. */
  progress: number;
  /** `current_node_id` of the last `progress` message; `null` before the first and once finished. */
  currentNodeId: string | null;
  /** Per node; nodes never started stay `pending`. */
  nodes: Record<string, NodeRunRecord>;
  /** The `errors` of `workflow_complete` (filled while running). */
  errors: string[];
  /** The `error` messages sent, oldest first (bounded like `logs`). */
  errorMessages: ExecutionErrorEntry[];
  /** The most recent log lines; older ones are dropped and counted. */
  logs: ExecutionLogEntry[];
  /** Log lines sent but no longer in `logs`. */
  droppedLogs: number;
  /** The `run_state.reason` the run was cancelled with; `null` unless cancelled. */
  cancelReason: string | null;
  /** `seq` of the last message sent for this execution. */
  lastSeq: number;
  initialInputs: Record<string, unknown>;
  /** ISO-8601 UTC. */
  startedAt: string;
  finishedAt: string | null;
  /**
   * Seconds, as in `workflow_complete.data.execution_time`; `null` while live.
   * Time spent paused is not counted: it measures how long the run worked.
   */
  executionTime: number | null;
}

/**
 * A short view of an execution, for listings.
 *
 * @example
 * registry.list('wf').map(summarizeExecution);
 */
export type ExecutionSummary = Pick<
  ExecutionRecord,
  'executionId' | 'workflowId' | 'status' | 'progress' | 'errors' | 'startedAt' | 'finishedAt' | 'executionTime'
>;

/**
 * The summary of a record.
 *
 * @example
 * summarizeExecution(record).status;
 */
export function summarizeExecution(r: ExecutionRecord): ExecutionSummary {
  const { executionId, workflowId, status, progress, errors, startedAt, finishedAt, executionTime } = r;
  return { executionId, workflowId, status, progress, errors, startedAt, finishedAt, executionTime };
}

/**
 * Options of {@link ExecutionRegistry}.
 *
 * @example
 * new ExecutionRegistry({ maxFinishedPerWorkflow: 10, retainFinishedMs: 60_000 });
 */
export interface ExecutionRegistryOptions {
  /** Finished executions kept per workflow; older ones are released first. @default 50 */
  maxFinishedPerWorkflow?: number | undefined;
  /** Finished executions are released this long after finishing. @default 1_800_000 (30 minutes) */
  retainFinishedMs?: number | undefined;
  /**
   * The size of all finished records together (results, logs, errors), as
   * their JSON length plus 64 bytes per object or array (what a small object
   * costs in memory beyond its text) and 8 per other value; past it the
   * oldest finished records are released first, whatever their workflow. One
   * record is charged at most an eighth of it, so a single huge result cannot
   * release every other workflow's history.
   * @default 268_435_456 (256 MiB)
   * @example
   * createFlowpulseServer({ executions: { maxFinishedBytes: 64 * 1024 * 1024 } });
   */
  maxFinishedBytes?: number | undefined;
  /** Clock, for tests. @default Date.now */
  now?: (() => number) | undefined;
}

/** What a finished record that cannot be measured is counted as (at most an eighth of the budget). */
const UNMEASURABLE_BYTES = 16 * 1024 * 1024;

/**
 * Keeps execution records so they can be looked up after the fact, with
 * bounded memory: running executions are always kept (how many may run is
 * the server's `maxLiveExecutions`), finished ones are capped per workflow
 * and in bytes overall, and released after a while. Pruning happens on every
 * add and lookup, so no timer is needed.
 *
 * @example
 * const registry = new ExecutionRegistry();
 * const engine = new WorkflowEngine({ workflowId: 'wf', registry });
 * const { executionId } = engine.execute(def);
 * registry.get(executionId)?.status; // 'running'
 */
export class ExecutionRegistry {
  readonly #byWorkflow = new Map<string, Map<string, ExecutionRecord>>();
  readonly #workflowOf = new Map<string, string>();
  /** Finished records, oldest first (a Map keeps insertion order): when each finished and its JSON size. */
  readonly #finished = new Map<string, { at: number; bytes: number }>();
  readonly #finishedPerWorkflow = new Map<string, number>();
  /** Each workflow's run started last: the one its clients show, kept within retention whenever it finished. */
  readonly #lastStarted = new Map<string, string>();
  #finishedBytes = 0;
  readonly #maxFinished: number;
  readonly #retainMs: number;
  readonly #maxFinishedBytes: number;
  readonly #now: () => number;

  constructor(options: ExecutionRegistryOptions = {}) {
    this.#maxFinished = options.maxFinishedPerWorkflow ?? 50;
    this.#retainMs = options.retainFinishedMs ?? 30 * 60_000;
    this.#maxFinishedBytes = options.maxFinishedBytes ?? 256 * 1024 * 1024;
    this.#now = options.now ?? Date.now;
  }

  // Measured once, when the record stops changing: a live record grows, a finished one does not.
  #finish(record: ExecutionRecord): void {
    if (this.#finished.has(record.executionId)) return;
    // An estimate, and one record past the whole budget would release every other workflow's
    // history on its own: no record is charged more than an eighth of it.
    const cap = this.#maxFinishedBytes / 8;
    let bytes: number;
    try {
      // Initial inputs given through the engine API may hold BigInts. Charged per value too: a
      // record of many small objects holds some 30 times its JSON length.
      bytes = Math.min(cap, jsonMemoryCost(JSON.stringify(record, (_, v) => (typeof v === 'bigint' ? String(v) : v))));
    } catch {
      // Not measurable (a cycle, nesting too deep, past the longest string V8 makes): counted as one large record.
      bytes = Math.min(UNMEASURABLE_BYTES, cap);
    }
    this.#finished.set(record.executionId, { at: this.#now(), bytes });
    this.#finishedBytes += bytes;
    this.#finishedPerWorkflow.set(record.workflowId, (this.#finishedPerWorkflow.get(record.workflowId) ?? 0) + 1);
  }

  #release(executionId: string): void {
    const wf = this.#workflowOf.get(executionId)!;
    const runs = this.#byWorkflow.get(wf)!;
    runs.delete(executionId);
    if (runs.size === 0) this.#byWorkflow.delete(wf);
    if (this.#lastStarted.get(wf) === executionId) {
      const last = [...runs.keys()].at(-1);
      if (last === undefined) this.#lastStarted.delete(wf);
      else this.#lastStarted.set(wf, last);
    }
    this.#workflowOf.delete(executionId);
    const finished = this.#finished.get(executionId);
    if (!finished) return;
    this.#finished.delete(executionId);
    this.#finishedBytes -= finished.bytes;
    const left = this.#finishedPerWorkflow.get(wf)! - 1;
    if (left > 0) this.#finishedPerWorkflow.set(wf, left);
    else this.#finishedPerWorkflow.delete(wf);
  }

  /**
   * Stores a new (running) record.
   *
   * @example
   * registry.add(record);
   */
  add(record: ExecutionRecord): void {
    let runs = this.#byWorkflow.get(record.workflowId);
    if (!runs) this.#byWorkflow.set(record.workflowId, (runs = new Map()));
    runs.set(record.executionId, record);
    this.#lastStarted.set(record.workflowId, record.executionId);
    this.#workflowOf.set(record.executionId, record.workflowId);
    if (!isLiveStatus(record.status)) this.#finish(record);
    this.prune();
  }

  /**
   * Notes that a record finished, which starts its retention clock.
   *
   * @example
   * registry.markFinished(record.executionId);
   */
  markFinished(executionId: string): void {
    const record = this.#byWorkflow.get(this.#workflowOf.get(executionId) ?? '')?.get(executionId);
    if (record) this.#finish(record);
    this.prune();
  }

  /**
   * A record by execution id, optionally only if it belongs to `workflowId`.
   *
   * @example
   * registry.get('3f2…', 'linear-pipeline');
   */
  get(executionId: string, workflowId?: string): ExecutionRecord | undefined {
    this.prune();
    const wf = this.#workflowOf.get(executionId);
    if (wf === undefined || (workflowId !== undefined && wf !== workflowId)) return undefined;
    return this.#byWorkflow.get(wf)?.get(executionId);
  }

  /**
   * Records of one workflow (or all), newest first.
   *
   * @example
   * registry.list('linear-pipeline').filter((r) => r.status === 'failed');
   */
  list(workflowId?: string): ExecutionRecord[] {
    this.prune();
    if (workflowId !== undefined) return this.runs(workflowId).reverse();
    const all = [...this.#byWorkflow.values()].flatMap((m) => [...m.values()]);
    // Ties on the millisecond are possible across workflows; the sort is stable.
    return all.sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : 0));
  }

  /**
   * Records of one workflow, oldest first: the order they were added in,
   * which is the order they started (timestamps can tie).
   *
   * @example
   * registry.runs('linear-pipeline').at(-1); // the newest
   */
  runs(workflowId: string): ExecutionRecord[] {
    this.prune();
    return [...(this.#byWorkflow.get(workflowId)?.values() ?? [])];
  }

  /**
   * The run a client of the workflow should see: the newest live one
   * (running or paused), else the newest finished one, else `undefined`.
   *
   * @example
   * registry.current('linear-pipeline')?.executionId;
   */
  current(workflowId: string): ExecutionRecord | undefined {
    const runs = this.runs(workflowId);
    for (let i = runs.length - 1; i >= 0; i--) if (isLiveStatus(runs[i]!.status)) return runs[i];
    return runs.at(-1);
  }

  /**
   * How many records are held.
   *
   * @example
   * registry.size; // 0 once everything finished long ago
   */
  get size(): number {
    this.prune();
    return this.#workflowOf.size;
  }

  /**
   * Releases finished records past their retention, beyond the per-workflow
   * cap (the oldest started first), or beyond the byte budget (the oldest
   * finished first). A workflow's run started last is what its clients show
   * (and what a joining client is sent), so only retention releases it, even
   * when it finished before older runs.
   *
   * @example
   * registry.prune();
   */
  prune(): void {
    const now = this.#now();
    // The newest finished run outlives the byte budget too, so a result it just announced (a
    // `result_ref`) can still be fetched.
    let newer = this.#finished.size;
    for (const [id, { at }] of this.#finished) {
      newer--;
      if (now - at >= this.#retainMs) this.#release(id);
      else if (newer > 0 && this.#finishedBytes > this.#maxFinishedBytes && !this.#isLastStarted(id)) this.#release(id);
    }
    for (const [wf, count] of this.#finishedPerWorkflow) {
      let excess = count - this.#maxFinished;
      if (excess <= 0) continue;
      for (const id of this.#byWorkflow.get(wf)!.keys()) {
        if (excess === 0) break;
        if (!this.#finished.has(id) || this.#isLastStarted(id)) continue;
        this.#release(id);
        excess--;
      }
    }
  }

  #isLastStarted(executionId: string): boolean {
    return this.#lastStarted.get(this.#workflowOf.get(executionId)!) === executionId;
  }
}
