import { randomUUID } from 'node:crypto';
import type { ExecutionMessage, RunState } from '../protocol';
import { checkCount } from './check-count';
import type { ConnectionManager } from './connection-manager';
import { ExecutionRegistry, type ExecutionRecord } from './execution-registry';
import { ExecutionRun, type LogCharges } from './execution-run';
import { planWorkflow, validateWorkflow, WorkflowValidationError, type WorkflowProblem } from './graph';
import { createBuiltinNodeTypes, type NodeExecutor, type NodeTypeRegistry } from './node-types';
import type { ReplayStore } from './replay-store';
import type { WorkflowDefinition } from './workflow';

/**
 * Receives every message of every execution of an engine, in order.
 *
 * @example
 * const listener: EngineListener = (m) => m.type === 'error' && alert(m.data.error);
 */
export type EngineListener = (message: ExecutionMessage) => void;

/**
 * Where an engine charges the estimated memory of the log lines execution
 * records keep (`WorkflowEngineOptions.logMemory`). The server passes each
 * run's `LiveMemoryAccount`, which has both methods.
 *
 * @example
 * let held = 0;
 * const logMemory: LogMemory = {
 *   tryCharge: (bytes) => (held + bytes <= cap ? ((held += bytes), true) : false),
 *   free: (bytes) => void (held -= bytes),
 * };
 */
export interface LogMemory {
  /** Charges `bytes` (a line about to be kept) if they fit; says whether they did. A throw counts as `false`. */
  tryCharge(bytes: number, executionId: string): boolean;
  /** Gives back `bytes` charged earlier (a kept line dropped). A throw is ignored. */
  free(bytes: number, executionId: string): void;
}

/**
 * Options of {@link WorkflowEngine}.
 *
 * @example
 * new WorkflowEngine({ workflowId: '123', manager, maxConcurrency: 2 });
 * new WorkflowEngine({ workflowId: '123', enableWebSocket: false, onEvent: (m) => events.push(m) });
 */
export interface WorkflowEngineOptions {
  /** The channel: messages carry this `workflow_id` and go to its subscribers. */
  workflowId: string;
  /**
   * Send messages to the manager's subscribers of `workflowId`. With `false`
   * (tests, background jobs) nothing goes over sockets, but listeners still
   * receive everything. Without a `manager` nothing is sent either.
   * @default true
   */
  enableWebSocket?: boolean | undefined;
  manager?: ConnectionManager | undefined;
  /** Nodes running at once within one execution. @default 4 */
  maxConcurrency?: number | undefined;
  /** Node types available; shared, not copied, so `registerNodeType` changes it. @default createBuiltinNodeTypes() */
  nodeTypes?: NodeTypeRegistry | undefined;
  /** Where execution records are kept. @default a new ExecutionRegistry() */
  registry?: ExecutionRegistry | undefined;
  /** Called with every message; same as `subscribe`. */
  onEvent?: EngineListener | undefined;
  /** `edge_flow.data` larger than this (as JSON characters) is replaced by a preview. @default 16384 */
  maxEdgeDataChars?: number | undefined;
  /** Log lines (and `error` messages) kept per execution record (all are sent). @default 500 */
  maxLogsPerExecution?: number | undefined;
  /** Longer log lines and error texts are clipped (with a note of how much). @default 16384 */
  maxLogChars?: number | undefined;
  /**
   * A node result whose JSON is larger than this many bytes is not streamed:
   * `node_status.result` is `null` and `result_ref` is the HTTP path serving
   * it (`GET /api/workflows/{id}/executions/{eid}/nodes/{node}/result`).
   * Keeps every client's socket and the replay buffer free of bulk data.
   * @default 65536
   */
  maxInlineResultBytes?: number | undefined;
  /** Where sent messages are kept for reconnecting clients (the server passes its own). */
  replay?: ReplayStore | undefined;
  /**
   * Told, before the record keeps a node's result, the memory it is
   * estimated to hold: its JSON length plus 64 bytes per object or array
   * and 8 per other value, measured once on the JSON the engine makes
   * anyway. Throwing refuses it: with a `logMemory`, it is asked again with
   * the room of the run's kept log lines given back, and if it then fits, the
   * oldest lines that no longer do are dropped; if not, the lines stay and
   * the node fails with the thrown error's message (which stops the run)
   * and the result is dropped. Nothing gives these bytes back: count
   * them per execution and release them when its `workflow_complete` comes
   * (the server gives each run an account it releases then). Without it,
   * results are not measured.
   * @example
   * const held = new Map<string, number>();
   * new WorkflowEngine({
   *   workflowId,
   *   chargeResult: (bytes, _node, run) => {
   *     if ((held.get(run) ?? 0) + bytes > cap) throw new Error('result too large');
   *     held.set(run, (held.get(run) ?? 0) + bytes);
   *   },
   *   onEvent: (m) => m.type === 'workflow_complete' && held.delete(m.data.execution_id),
   * });
   */
  chargeResult?: ((bytes: number, nodeId: string, executionId: string) => void) | undefined;
  /**
   * Charged each log line a live run's record keeps, by the estimate
   * `chargeResult` uses, and given it back when the line is dropped and, for
   * the lines still kept, when the run ends (a finished record is no longer
   * live memory). A line it refuses never fails anything: the record drops
   * its oldest lines until it fits, or drops the line itself when it keeps
   * none (all counted in `droppedLogs`); every line is still sent. A result
   * `chargeResult` refuses may take the room of the run's kept lines, oldest
   * first, when that lets it in. The server charges live runs against `maxLiveBytes` with
   * it. Without it, records keep `maxLogsPerExecution` lines whatever their size.
   * @example
   * new WorkflowEngine({ workflowId, logMemory: liveMemory.admit(0) }); // one budget for all live runs' lines
   */
  logMemory?: LogMemory | undefined;
  /** Makes execution ids; for tests. @default crypto.randomUUID */
  createExecutionId?: (() => string) | undefined;
}

/**
 * A started execution: its id right away (so HTTP can answer 202), and a
 * promise of its final record. `done` never rejects: a failed run resolves
 * with `status: 'failed'`.
 *
 * @example
 * const { executionId, done } = engine.execute(def, { userId: 7 });
 * res.status(202).json({ execution_id: executionId });
 * const record = await done;
 */
export interface ExecutionHandle {
  executionId: string;
  /** The live record (also in the registry). */
  record: ExecutionRecord;
  done: Promise<ExecutionRecord>;
  /** Stops this execution; see `WorkflowEngine.cancel`. */
  cancel(reason?: string): boolean;
  /** Holds it: running nodes finish, no new one starts. False unless running. */
  pause(): boolean;
  /** Continues it. False unless paused. */
  resume(): boolean;
  /** Its run state now. */
  readonly state: RunState;
}

/** `memory` for one execution, unable to throw into the node that logged. */
function logCharges(memory: LogMemory, executionId: string): LogCharges {
  return {
    tryCharge(bytes) {
      try {
        return Boolean(memory.tryCharge(bytes, executionId));
      } catch {
        return false;
      }
    },
    free(bytes) {
      try {
        memory.free(bytes, executionId);
      } catch {
        // What it holds is its own account; the line is gone either way.
      }
    },
  };
}

/** The engine's count options given, checked (a RangeError naming the first that cannot work). */
export function checkEngineCounts(options: Pick<WorkflowEngineOptions, 'maxConcurrency' | 'maxLogsPerExecution' | 'maxLogChars'>): void {
  if (options.maxConcurrency !== undefined) checkCount('maxConcurrency', options.maxConcurrency);
  // Infinity: every line kept, none clipped.
  if (options.maxLogsPerExecution !== undefined) checkCount('maxLogsPerExecution', options.maxLogsPerExecution, 0, { infinite: true });
  if (options.maxLogChars !== undefined) checkCount('maxLogChars', options.maxLogChars, 1, { infinite: true });
}

/**
 * Runs workflows and streams their progress: the seed's `WorkflowEngine`.
 * Nodes run in topological order, independent branches concurrently up to
 * `maxConcurrency`; every message of an execution carries an increasing
 * `seq` starting at 1. Executions (of one or many workflows) are independent.
 *
 * The engine is bound to a `workflowId` (the socket channel); the definition
 * is given per `execute` call, so a definition can be replaced between runs.
 * See `ExecutionRun` for the exact message order and failure semantics.
 *
 * @example
 * const engine = new WorkflowEngine({ workflowId: def.id, manager });
 * engine.registerNodeType('charge', async ({ config, signal }) => chargeCard(config, signal));
 * const { executionId, done } = engine.execute(def, { orderId: 42 });
 */
export class WorkflowEngine {
  readonly workflowId: string;
  readonly registry: ExecutionRegistry;
  readonly nodeTypes: NodeTypeRegistry;
  readonly #manager: ConnectionManager | undefined;
  readonly #enableWebSocket: boolean;
  readonly #maxConcurrency: number;
  readonly #maxEdgeDataChars: number;
  readonly #maxLogs: number;
  readonly #maxLogChars: number;
  readonly #maxInlineResultBytes: number;
  readonly #replay: ReplayStore | undefined;
  readonly #chargeResult: WorkflowEngineOptions['chargeResult'];
  readonly #logMemory: LogMemory | undefined;
  readonly #createId: () => string;
  readonly #listeners = new Set<EngineListener>();
  readonly #runs = new Map<string, ExecutionRun>();

  constructor(options: WorkflowEngineOptions) {
    if (typeof options?.workflowId !== 'string' || options.workflowId.length === 0) {
      throw new TypeError('WorkflowEngine needs a non-empty workflowId');
    }
    checkEngineCounts(options);
    this.workflowId = options.workflowId;
    this.#enableWebSocket = options.enableWebSocket ?? true;
    this.#manager = options.manager;
    this.#maxConcurrency = options.maxConcurrency ?? 4;
    this.nodeTypes = options.nodeTypes ?? createBuiltinNodeTypes();
    this.registry = options.registry ?? new ExecutionRegistry();
    this.#maxEdgeDataChars = options.maxEdgeDataChars ?? 16_384;
    this.#maxLogs = options.maxLogsPerExecution ?? 500;
    this.#maxLogChars = options.maxLogChars ?? 16_384;
    this.#maxInlineResultBytes = options.maxInlineResultBytes ?? 64 * 1024;
    this.#replay = options.replay;
    this.#chargeResult = options.chargeResult;
    this.#logMemory = options.logMemory;
    this.#createId = options.createExecutionId ?? randomUUID;
    if (options.onEvent) this.#listeners.add(options.onEvent);
  }

  /**
   * Adds or replaces a node type in this engine's registry.
   *
   * @example
   * engine.registerNodeType('double', ({ inputs }) => Number(inputs.initial_inputs.n) * 2);
   */
  registerNodeType(type: string, executor: NodeExecutor): this {
    this.nodeTypes.register(type, executor);
    return this;
  }

  /**
   * Listens to every message of every execution. Returns the unsubscribe
   * function. A listener that throws is ignored, never breaking a run.
   *
   * @example
   * const stop = engine.subscribe((m) => console.log(m.type));
   */
  subscribe(listener: EngineListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * The problems that would stop `execute`, checked against this engine's node types.
   *
   * @example
   * engine.validate(def); // [] when it can run
   */
  validate(workflow: unknown): WorkflowProblem[] {
    return validateWorkflow(workflow, { nodeTypes: this.nodeTypes });
  }

  /**
   * Starts an execution and returns at once; `workflow_start` and the first
   * nodes follow in a microtask, so listeners learn the id from the handle
   * before any message. Throws {@link WorkflowValidationError} for a
   * definition that cannot run (nothing is sent then).
   *
   * @example
   * const { executionId, done } = engine.execute(def, { customer: 'ada' });
   * @default initialInputs {}
   */
  execute(workflow: WorkflowDefinition, initialInputs: Record<string, unknown> = {}): ExecutionHandle {
    if (typeof initialInputs !== 'object' || initialInputs === null || Array.isArray(initialInputs)) {
      throw new TypeError('initialInputs must be an object');
    }
    const problems = this.validate(workflow);
    if (problems.length > 0) throw new WorkflowValidationError(problems);
    const executionId = this.#createId();
    const run = new ExecutionRun({
      workflowId: this.workflowId,
      executionId,
      workflow,
      plan: planWorkflow(workflow),
      initialInputs,
      nodeTypes: this.nodeTypes,
      maxConcurrency: this.#maxConcurrency,
      maxEdgeDataChars: this.#maxEdgeDataChars,
      maxLogs: this.#maxLogs,
      maxLogChars: this.#maxLogChars,
      maxInlineResultBytes: this.#maxInlineResultBytes,
      ...(this.#chargeResult ? { chargeResult: (bytes: number, nodeId: string) => this.#chargeResult!(bytes, nodeId, executionId) } : {}),
      ...(this.#logMemory ? { logMemory: logCharges(this.#logMemory, executionId) } : {}),
      send: (m) => this.#deliver(m),
    });
    this.#runs.set(executionId, run);
    this.registry.add(run.record);
    void run.done.then(() => {
      // The seed frees engine state when an execution ends; the record lives on in the registry.
      this.#runs.delete(executionId);
      this.registry.markFinished(executionId);
    });
    queueMicrotask(() => run.start());
    return {
      executionId,
      record: run.record,
      done: run.done,
      cancel: (reason) => run.cancel(reason),
      pause: () => run.pause(),
      resume: () => run.resume(),
      get state() {
        return run.state;
      },
    };
  }

  /**
   * Stops a running or paused execution of this engine: `run_state`
   * cancelled, an `error` message, running nodes aborted and reported
   * cancelled, `workflow_complete` with `success: false`. Returns false if it
   * is not running here.
   *
   * @example
   * engine.cancel(executionId, 'user pressed stop');
   * @default reason 'execution cancelled'
   */
  cancel(executionId: string, reason?: string): boolean {
    return this.#runs.get(executionId)?.cancel(reason) ?? false;
  }

  /**
   * Pauses a running execution of this engine: running nodes finish, no new
   * node starts, `run_state` paused is sent. False if it is not running here.
   *
   * @example
   * engine.pause(executionId);
   */
  pause(executionId: string): boolean {
    return this.#runs.get(executionId)?.pause() ?? false;
  }

  /**
   * Resumes a paused execution of this engine. False if it is not paused here.
   *
   * @example
   * engine.resume(executionId);
   */
  resume(executionId: string): boolean {
    return this.#runs.get(executionId)?.resume() ?? false;
  }

  /**
   * Cancels every running execution of this engine; returns how many.
   *
   * @example
   * process.on('SIGTERM', () => engine.cancelAll('shutting down'));
   */
  cancelAll(reason?: string): number {
    let n = 0;
    for (const run of [...this.#runs.values()]) if (run.cancel(reason)) n++;
    return n;
  }

  /**
   * Ids of this engine's executions still running.
   *
   * @example
   * engine.activeExecutions().length;
   */
  activeExecutions(): string[] {
    return [...this.#runs.keys()];
  }

  #deliver(message: ExecutionMessage): void {
    if (this.#enableWebSocket && (this.#manager || this.#replay)) {
      try {
        // Serialized once: the replay buffer holds the very bytes clients got.
        const buf = Buffer.from(JSON.stringify(message));
        if (this.#replay && message.seq !== undefined) {
          this.#replay.append(message.data.execution_id, message.seq, buf);
          if (message.type === 'workflow_complete') this.#replay.end(message.data.execution_id);
        }
        this.#manager?.broadcastBuffer(buf, this.workflowId);
      } catch {
        // Socket trouble must not stop the run; the record still has everything.
      }
    }
    for (const listener of this.#listeners) {
      try {
        listener(message);
      } catch {
        // A faulty listener must not stop the run or starve the others.
      }
    }
  }
}
