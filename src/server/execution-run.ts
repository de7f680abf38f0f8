import {
  createEdgeFlowMessage,
  createErrorMessage,
  createLogMessage,
  createNodeStatusMessage,
  createProgressMessage,
  createRunStateMessage,
  createWorkflowCompleteMessage,
  createWorkflowStartMessage,
  isoTimestamp,
  type ExecutionMessage,
  type LogLevel,
  type MessageOptions,
  type RunState,
} from '../protocol';
import { setMaxListeners } from 'node:events';
import type { ExecutionLogEntry, ExecutionRecord, NodeRunRecord } from './execution-registry';
import { insertSorted, INITIAL_INPUTS_KEY, type WorkflowPlan } from './graph';
import { clipText, errorMessage, jsonMemoryCost, setOwn, toJsonText, truncateForWire } from './json-safe';
import type { NodeContext, NodeInputs, NodeTypeRegistry } from './node-types';
import { nodeResultPath } from './result-ref';
import { abortReason } from './sleep';
import type { WorkflowDefinition } from './workflow';

/**
 * Where a run charges the log lines its record keeps. Neither method may
 * throw: a log line must never fail its node.
 */
export interface LogCharges {
  /** Charges `bytes` if they fit; says whether they did. */
  tryCharge(bytes: number): boolean;
  /** Gives back `bytes` charged earlier. */
  free(bytes: number): void;
}

/**
 * What one run needs from its engine.
 *
 * @example
 * new ExecutionRun({ workflowId, executionId, workflow, plan: planWorkflow(workflow), initialInputs: {},
 *   nodeTypes, maxConcurrency: 4, maxEdgeDataChars: 16_384, maxLogs: 500, maxLogChars: 16_384,
 *   maxInlineResultBytes: 65_536, send: (m) => sink(m) });
 */
export interface RunSettings {
  workflowId: string;
  executionId: string;
  workflow: WorkflowDefinition;
  plan: WorkflowPlan;
  initialInputs: Record<string, unknown>;
  nodeTypes: NodeTypeRegistry;
  maxConcurrency: number;
  maxEdgeDataChars: number;
  /** Log lines (and `error` messages) kept in the record. */
  maxLogs: number;
  /** Longer log lines and error texts are clipped. */
  maxLogChars: number;
  /** Results whose JSON is larger are sent as a `result_ref`, not inline. */
  maxInlineResultBytes: number;
  /**
   * Told the estimated memory of each result (`jsonMemoryCost` of its JSON)
   * before the record keeps it; throwing fails the node with that error and
   * drops the result. Without it, results are not measured.
   */
  chargeResult?: ((bytes: number, nodeId: string) => void) | undefined;
  /**
   * Charged the estimated memory of each log line the record keeps
   * (`jsonMemoryCost` of its JSON) and given it back when the line is dropped.
   * Without it, lines are bounded by `maxLogs` alone.
   */
  logMemory?: LogCharges | undefined;
  /** Delivers a message (sockets, listeners); must not throw. */
  send(message: ExecutionMessage): void;
}

const LEVELS: readonly LogLevel[] = ['info', 'warning', 'error'];

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Appends to a bounded list, dropping from the front; returns how many were dropped. */
function pushBounded<T>(list: T[], item: T, max: number): number {
  list.push(item);
  return list.length > max ? list.splice(0, list.length - max).length : 0;
}

/**
 * One execution of a workflow: schedules nodes in topological order with
 * bounded concurrency, keeps the record, and emits the messages with an
 * increasing `seq`. Internal to the engine; `WorkflowEngine` is the API.
 *
 * Semantics, documented once here:
 * - `progress` follows each *completion*: `current_step` is the number of
 *   nodes completed so far and `current_node_id` the one that just completed,
 *   so 100 % means everything finished (2 of 5 completed is 40.0, as in the spec).
 * - Per node: `node_status` running → (its logs) → `node_status` completed →
 *   `progress` → one `edge_flow` per outgoing edge → an info `log`.
 * - A result whose JSON exceeds `maxInlineResultBytes` is not streamed:
 *   `node_status.result` is `null` and `result_ref` names the HTTP path that
 *   serves it; the record keeps it in full.
 * - A result `chargeResult` refuses (the server's memory limits) fails its
 *   node as a thrown error would, with the refusal as its error; the record
 *   does not keep it.
 * - A log line `logMemory` cannot hold drops the record's oldest lines until
 *   it can, or is dropped itself when none is left; never fails anything,
 *   and is sent all the same. The record keeps the newest lines of the run,
 *   with `droppedLogs` counting every line before them, as the `maxLogs` bound does.
 * - A failing node: `node_status` error → `error` (with node_id) → error `log`;
 *   the run then stops: nodes still running are aborted through their
 *   `AbortSignal` and reported `error` with "cancelled: …" (their late
 *   results are ignored, and they are not in `errors`), nodes never started
 *   stay `pending` with no message, and `workflow_complete` has
 *   `success: false`. Nothing is sent after `workflow_complete`.
 * - Pause: `run_state` paused; running nodes finish (and report), no new node
 *   starts. Resume: `run_state` running, and scheduling continues. If the last
 *   node finishes while paused there is nothing left to hold: the run completes.
 *   Time the pause holds the run idle (once the nodes running at the pause
 *   have finished) does not count toward `execution_time`.
 * - Cancel: `run_state` cancelled (with the reason) → `error` → warning `log`,
 *   then as a failure: running nodes aborted, `workflow_complete` with
 *   `success: false` and `Execution cancelled: <reason>` in `errors`.
 * - The record is updated in the same synchronous step as each message, so
 *   between messages it is exactly what a client that applied them all knows.
 *
 * @example
 * const run = new ExecutionRun(settings);
 * run.start();
 * const record = await run.done;
 */
export class ExecutionRun {
  readonly record: ExecutionRecord;
  readonly done: Promise<ExecutionRecord>;
  readonly #s: RunSettings;
  readonly #controller = new AbortController();
  readonly #waiting = new Map<string, number>();
  readonly #ready: string[] = [];
  readonly #running = new Set<string>();
  readonly #results = new Map<string, unknown>();
  readonly #startedMs = new Map<string, number>();
  /** What `logMemory` was charged for each line of `record.logs`, in the same order. */
  readonly #logBytes: number[] = [];
  #seq = 0;
  #t0 = 0;
  #started = false;
  #stopped = false;
  #finished = false;
  #cancelled = false;
  #paused = false;
  /** While paused: when the last running node finished (null while one still runs); the run is idle from then. */
  #idleSince: number | null = null;
  #pausedMs = 0;
  #resolve!: (record: ExecutionRecord) => void;

  constructor(settings: RunSettings) {
    this.#s = settings;
    // Every node running at once may listen to the run's one signal (`sleep` does): more than 10 is no leak.
    setMaxListeners(0, this.#controller.signal);
    const { plan } = settings;
    const nodes: Record<string, NodeRunRecord> = Object.create(null);
    for (const id of plan.order) {
      setOwn(nodes, id, { status: 'pending', result: null, error: null, startedAt: null, finishedAt: null });
      this.#waiting.set(id, plan.incoming.get(id)!.length);
    }
    this.record = {
      executionId: settings.executionId,
      workflowId: settings.workflowId,
      workflowName: settings.workflow.name ?? settings.workflow.id,
      status: 'running',
      executionOrder: [...plan.order],
      totalNodes: plan.order.length,
      completedNodes: 0,
      progress: 0,
      currentNodeId: null,
      nodes,
      errors: [],
      errorMessages: [],
      logs: [],
      droppedLogs: 0,
      cancelReason: null,
      lastSeq: 0,
      initialInputs: settings.initialInputs,
      startedAt: new Date().toISOString(),
      finishedAt: null,
      executionTime: null,
    };
    this.done = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Whether `workflow_complete` has been sent. */
  get finished(): boolean {
    return this.#finished;
  }

  /** The run state now (the record's `status`). */
  get state(): RunState {
    return this.record.status;
  }

  /**
   * Sends `workflow_start` and starts the first nodes. Idempotent.
   *
   * @example
   * queueMicrotask(() => run.start());
   */
  start(): void {
    if (this.#started) return;
    this.#announce();
    for (const id of this.#s.plan.order) if (this.#waiting.get(id) === 0) this.#ready.push(id);
    this.#pump();
  }

  #announce(): void {
    this.#started = true;
    this.#t0 = performance.now();
    const { plan, workflow } = this.#s;
    // The record's start is the instant its workflow_start names, as node times are their messages'.
    const at = new Date();
    this.record.startedAt = at.toISOString();
    this.#emit(createWorkflowStartMessage({ ...this.#opts(at), executionOrder: [...plan.order], totalNodes: plan.order.length }));
    this.#log(
      `Workflow "${workflow.name ?? workflow.id}" started: ${plan.order.length} node${plan.order.length === 1 ? '' : 's'}`,
      'info',
      null,
    );
  }

  /**
   * Holds the run: running nodes finish, no new node starts. Returns false
   * unless it was running.
   *
   * @example
   * run.pause();
   */
  pause(): boolean {
    if (this.#stopped || this.#finished || this.#paused) return false;
    this.#paused = true;
    // Paused before its first microtask: announce it first, so `workflow_start` stays the first message.
    if (!this.#started) this.start();
    if (this.#running.size === 0) this.#idleSince = performance.now();
    this.record.status = 'paused';
    this.#emit(createRunStateMessage({ ...this.#opts(), state: 'paused' }));
    this.#log('Execution paused', 'info', null);
    return true;
  }

  /**
   * Continues a paused run. Returns false unless it was paused.
   *
   * @example
   * run.resume();
   */
  resume(): boolean {
    if (!this.#paused || this.#stopped || this.#finished) return false;
    this.#endPause(performance.now());
    this.record.status = 'running';
    this.#emit(createRunStateMessage({ ...this.#opts(), state: 'running' }));
    this.#log('Execution resumed', 'info', null);
    this.#pump();
    return true;
  }

  /**
   * Stops the run (also a paused one): `run_state` cancelled, an `error`
   * message, running nodes aborted and reported cancelled, then
   * `workflow_complete` with `success: false`. Returns false if the run had
   * already stopped.
   *
   * @example
   * run.cancel('cancelled by user');
   * @default reason 'execution cancelled'
   */
  cancel(reason = 'execution cancelled'): boolean {
    if (this.#stopped || this.#finished) return false;
    // Cancelled before it began: clients still get a start and an end, but no node runs.
    if (!this.#started) this.#announce();
    this.#cancelled = true;
    this.record.status = 'cancelled';
    this.record.cancelReason = reason;
    this.#emit(createRunStateMessage({ ...this.#opts(), state: 'cancelled', reason }));
    const text = `Execution cancelled: ${reason}`;
    this.record.errors.push(text);
    this.#error(text, null);
    this.#log(text, 'warning', null);
    this.#stop(reason);
    return true;
  }

  /** Envelope options with the next `seq`; `at` is the instant the record also notes. */
  #opts(at: Date = new Date()): MessageOptions & { seq: number } {
    return { workflowId: this.#s.workflowId, executionId: this.#s.executionId, seq: ++this.#seq, timestamp: isoTimestamp(at) };
  }

  #emit(message: ExecutionMessage): void {
    if (this.#finished) return;
    this.record.lastSeq = message.seq ?? this.record.lastSeq;
    this.#s.send(message);
  }

  #log(message: string, level: LogLevel, nodeId: string | null): void {
    if (this.#finished) return;
    const lvl = LEVELS.includes(level) ? level : 'info';
    const text = clipText(String(message), this.#s.maxLogChars);
    const msg = createLogMessage({ ...this.#opts(), message: text, level: lvl, ...(nodeId === null ? {} : { nodeId }) });
    const entry = { seq: msg.seq!, timestamp: msg.timestamp, level: lvl, message: text, nodeId };
    if (this.#s.logMemory) this.#keepCharged(entry, this.#s.logMemory);
    else this.record.droppedLogs += pushBounded(this.record.logs, entry, this.#s.maxLogs);
    // Sent whether kept or not: the bound is on what the record holds, clients and replay have their own.
    this.#emit(msg);
  }

  /**
   * Keeps `entry` within `maxLogs` and what `memory` can hold, dropping the
   * oldest lines first. A line that fits nowhere is dropped only once every
   * older one is, so the kept lines stay the newest of the run and
   * `droppedLogs` is the count before the first (what a snapshot's `dropped_logs` says).
   */
  #keepCharged(entry: ExecutionLogEntry, memory: LogCharges): void {
    const { logs } = this.record;
    while (logs.length > 0 && logs.length >= this.#s.maxLogs) this.#dropOldestLog(memory);
    const bytes = jsonMemoryCost(JSON.stringify(entry));
    let kept = logs.length < this.#s.maxLogs && memory.tryCharge(bytes);
    while (!kept && logs.length > 0) {
      this.#dropOldestLog(memory);
      kept = memory.tryCharge(bytes);
    }
    if (!kept) {
      this.record.droppedLogs++;
      return;
    }
    logs.push(entry);
    this.#logBytes.push(bytes);
  }

  /**
   * Charges a result; when refused, the run's kept log lines give their room (oldest first) if,
   * and only if, that lets the result in: otherwise they stay, and the refusal is returned.
   */
  #chargeResult(cost: number, id: string): { error: unknown } | null {
    const charge = this.#s.chargeResult!;
    try {
      charge(cost, id);
      return null;
    } catch (error) {
      const memory = this.#s.logMemory;
      if (!memory || this.record.logs.length === 0 || !this.#running.has(id) || this.#finished) return { error };
      const held = this.#logBytes.reduce((sum, bytes) => sum + bytes, 0);
      memory.free(held);
      try {
        charge(cost, id);
      } catch (again) {
        // Even every line's room would not do: the lines stay (nothing else ran in between).
        if (!memory.tryCharge(held)) this.#dropAllLogs();
        return { error: again };
      }
      // The result is in: keep the newest lines that still fit.
      let first = this.#logBytes.length;
      while (first > 0 && memory.tryCharge(this.#logBytes[first - 1]!)) first--;
      this.record.logs.splice(0, first);
      this.#logBytes.splice(0, first);
      this.record.droppedLogs += first;
      return null;
    }
  }

  #dropAllLogs(): void {
    this.record.droppedLogs += this.record.logs.length;
    this.record.logs.length = 0;
    this.#logBytes.length = 0;
  }

  #dropOldestLog(memory: LogCharges): void {
    this.record.logs.shift();
    memory.free(this.#logBytes.shift() ?? 0);
    this.record.droppedLogs++;
  }

  #error(error: string, nodeId: string | null): void {
    const msg = createErrorMessage({ ...this.#opts(), error, nodeId });
    pushBounded(this.record.errorMessages, { seq: msg.seq!, timestamp: msg.timestamp, error, nodeId }, this.#s.maxLogs);
    this.#emit(msg);
  }

  #pump(): void {
    if (this.#stopped || this.#finished) return;
    while (!this.#paused && this.#running.size < this.#s.maxConcurrency && this.#ready.length > 0) {
      this.#startNode(this.#ready.shift()!);
    }
    // Paused time stops counting only once the nodes running at the pause have finished.
    if (this.#paused && this.#running.size === 0) this.#idleSince ??= performance.now();
    // Nothing running and nothing ready means every node completed, paused or not.
    if (this.#running.size === 0 && this.#ready.length === 0) this.#finish();
  }

  #startNode(id: string): void {
    const { plan, nodeTypes } = this.#s;
    const node = plan.nodes.get(id)!;
    const rec = this.record.nodes[id]!;
    const at = new Date();
    rec.status = 'running';
    rec.startedAt = at.toISOString();
    this.#running.add(id);
    this.#startedMs.set(id, performance.now());
    this.#emit(createNodeStatusMessage({ ...this.#opts(at), nodeId: id, status: 'running' }));

    const inputs = { [INITIAL_INPUTS_KEY]: this.#s.initialInputs } as NodeInputs;
    for (const e of plan.incoming.get(id)!) setOwn(inputs, e.source, this.#results.get(e.source));
    const ctx: NodeContext = {
      inputs,
      config: node.config ?? {},
      node,
      workflowId: this.#s.workflowId,
      executionId: this.#s.executionId,
      signal: this.#controller.signal,
      log: (message, level = 'info') => {
        // A node that keeps logging after it settled or the run stopped is ignored.
        if (this.#running.has(id)) this.#log(message, level, id);
      },
    };
    const executor = nodeTypes.get(node.type);
    // The executor runs in a later microtask so a synchronous throw is a
    // rejection like any other, and `node_status running` is already out.
    Promise.resolve()
      .then(() => {
        // The run may have stopped between scheduling and this microtask.
        if (ctx.signal.aborted) throw abortReason(ctx.signal);
        if (!executor) throw new Error(`unknown node type "${node.type}"`);
        return executor(ctx);
      })
      .then(
        (result) => this.#completed(id, result),
        (error: unknown) => this.#failed(id, error),
      );
  }

  #completed(id: string, result: unknown): void {
    if (!this.#running.has(id) || this.#finished) return;
    const json = toJsonText(result);
    // Judged on the text, before the copy the record would keep is made: a result the run
    // cannot hold fails its node (which stops the run and gives its memory back) instead.
    if (this.#s.chargeResult) {
      const refused = this.#chargeResult(jsonMemoryCost(json), id);
      if (refused !== null) {
        this.#failed(id, refused.error);
        return;
      }
    }
    // The charge may have stopped the run (a chargeResult that cancels it): the node was reported cancelled.
    if (!this.#running.delete(id) || this.#finished) return;
    const { plan, maxEdgeDataChars, workflowId, executionId } = this.#s;
    this.#results.set(id, result);
    const value: unknown = JSON.parse(json);
    const bytes = Buffer.byteLength(json);
    // Too large to stream: clients get a path to fetch it from, the record keeps it.
    const ref = bytes > this.#s.maxInlineResultBytes ? nodeResultPath(workflowId, executionId, id) : null;
    const rec = this.record.nodes[id]!;
    const at = new Date();
    rec.status = 'completed';
    rec.result = value;
    if (ref) rec.resultRef = ref;
    rec.finishedAt = at.toISOString();
    const done = ++this.record.completedNodes;
    const total = this.record.totalNodes;
    this.record.progress = round((done / total) * 100, 2);
    this.record.currentNodeId = id;
    this.#emit(createNodeStatusMessage({ ...this.#opts(at), nodeId: id, status: 'completed', result: ref ? null : value, resultRef: ref }));
    this.#emit(
      createProgressMessage({ ...this.#opts(), currentStep: done, totalSteps: total, progress: this.record.progress, currentNodeId: id }),
    );
    const edgeData = ref
      ? { truncated: true, size: bytes, preview: json.slice(0, Math.min(maxEdgeDataChars, 200)), result_ref: ref }
      : truncateForWire(value, json, maxEdgeDataChars);
    for (const e of plan.outgoing.get(id)!) {
      this.#emit(
        createEdgeFlowMessage({ ...this.#opts(), sourceNodeId: id, targetNodeId: e.target, edgeId: e.id ?? null, data: edgeData }),
      );
      const left = this.#waiting.get(e.target)! - 1;
      this.#waiting.set(e.target, left);
      if (left === 0) insertSorted(this.#ready, e.target, (x) => plan.rank.get(x)!);
    }
    const ms = Math.round(performance.now() - (this.#startedMs.get(id) ?? performance.now()));
    this.#log(`${this.#label(id)} completed in ${ms} ms`, 'info', id);
    this.#pump();
  }

  #failed(id: string, error: unknown): void {
    if (!this.#running.delete(id) || this.#finished) return;
    const message = clipText(errorMessage(error), this.#s.maxLogChars);
    const rec = this.record.nodes[id]!;
    const at = new Date();
    rec.status = 'error';
    rec.error = message;
    rec.finishedAt = at.toISOString();
    this.record.errors.push(`Node "${id}" failed: ${message}`);
    this.#emit(createNodeStatusMessage({ ...this.#opts(at), nodeId: id, status: 'error', error: message }));
    this.#error(message, id);
    this.#log(`${this.#label(id)} failed: ${message}`, 'error', id);
    this.#stop(`node "${id}" failed`);
  }

  #stop(reason: string): void {
    this.#stopped = true;
    this.#ready.length = 0;
    // Report the siblings first, then abort: their rejections arrive later
    // and are ignored because they are no longer running.
    const cancelled = `cancelled: ${reason}`;
    for (const id of [...this.#running]) {
      this.#running.delete(id);
      const rec = this.record.nodes[id]!;
      const at = new Date();
      rec.status = 'error';
      rec.error = cancelled;
      rec.finishedAt = at.toISOString();
      this.#emit(createNodeStatusMessage({ ...this.#opts(at), nodeId: id, status: 'error', error: cancelled }));
    }
    this.#controller.abort(new Error(cancelled));
    this.#finish();
  }

  /** Leaves the pause, counting the time it held the run idle. */
  #endPause(now: number): void {
    if (this.#idleSince !== null) this.#pausedMs += now - this.#idleSince;
    this.#idleSince = null;
    this.#paused = false;
  }

  #finish(): void {
    if (this.#finished) return;
    const now = performance.now();
    this.#endPause(now);
    const seconds = round(Math.max(0, now - this.#t0 - this.#pausedMs) / 1000, 3);
    const success = this.record.errors.length === 0;
    const errors = this.record.errors.length;
    // A cancel is the user's decision, not a failure: a warning that says so.
    if (this.#cancelled) this.#log(`Workflow cancelled after ${seconds.toFixed(2)} s`, 'warning', null);
    else if (success) this.#log(`Workflow completed in ${seconds.toFixed(2)} s`, 'info', null);
    else this.#log(`Workflow failed after ${seconds.toFixed(2)} s (${errors} error${errors === 1 ? '' : 's'})`, 'error', null);
    // As a client applies `workflow_complete`: progress 100, no current node.
    this.record.progress = 100;
    this.record.currentNodeId = null;
    this.record.status = this.#cancelled ? 'cancelled' : success ? 'completed' : 'failed';
    this.record.finishedAt = new Date().toISOString();
    this.record.executionTime = seconds;
    // The lines the finished record keeps are no longer live memory (finished records have their own bound);
    // given back before workflow_complete, which is when an app settles the run's account.
    const kept = this.#logBytes.splice(0).reduce((sum, bytes) => sum + bytes, 0);
    if (kept > 0) this.#s.logMemory?.free(kept);
    this.#emit(createWorkflowCompleteMessage({ ...this.#opts(), success, executionTime: seconds, errors: [...this.record.errors] }));
    this.#finished = true;
    this.#resolve(this.record);
  }

  #label(id: string): string {
    const label = this.#s.plan.nodes.get(id)?.label;
    return label ? `"${label}" (${id})` : `"${id}"`;
  }
}
