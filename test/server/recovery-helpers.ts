import { expect } from 'vitest';
import { createInitialState, reduceWorkflow, type WorkflowState } from 'flowpulse';
import { parseTimestamp, type ServerMessage } from 'flowpulse/protocol';
import { isLiveStatus, type ExecutionRecord } from 'flowpulse/server';
import { expectValidMessage } from './helpers';
import { openClient, type TestClient } from './ws-client';

/** A deterministic PRNG (mulberry32), so a failing random run can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What a client shows, in a form comparable with {@link recordView}. */
export function stateView(s: WorkflowState) {
  return {
    executionId: s.executionId,
    runStatus: s.runStatus,
    lastSeq: s.lastSeq,
    progress: s.progress,
    currentStep: s.currentStep,
    totalSteps: s.totalSteps,
    currentNodeId: s.currentNodeId,
    success: s.success,
    executionTime: s.executionTime,
    completionErrors: s.completionErrors,
    nodes: Object.fromEntries(
      Object.entries(s.nodeStatuses).map(([id, n]) => [
        id,
        {
          status: n.status,
          result: n.result ?? null,
          error: n.error ?? null,
          resultRef: n.resultRef ?? null,
          startedAt: n.startedAt ?? null,
          finishedAt: n.finishedAt ?? null,
        },
      ]),
    ),
    logs: s.logs.map((l) => [l.level, l.message, l.nodeId, l.time]),
    errors: s.errors.map((e) => [e.message, e.nodeId, e.time]),
  };
}

const ms = (iso: string | null) => (iso === null ? null : Date.parse(iso));

/** The server's record of an execution, as a client that saw every message would show it. */
export function recordView(r: ExecutionRecord) {
  const finished = !isLiveStatus(r.status);
  return {
    executionId: r.executionId,
    runStatus: r.status,
    lastSeq: r.lastSeq,
    progress: r.progress,
    currentStep: r.completedNodes,
    totalSteps: r.totalNodes,
    currentNodeId: r.currentNodeId,
    success: finished ? r.status === 'completed' : null,
    executionTime: r.executionTime,
    completionErrors: finished ? r.errors : [],
    nodes: Object.fromEntries(
      r.executionOrder.map((id) => {
        const n = r.nodes[id]!;
        return [
          id,
          {
            status: n.status,
            result: n.resultRef ? null : n.result,
            error: n.error,
            resultRef: n.resultRef ?? null,
            startedAt: ms(n.startedAt),
            finishedAt: ms(n.finishedAt),
          },
        ];
      }),
    ),
    logs: r.logs.map((l) => [l.level, l.message, l.nodeId, parseTimestamp(l.timestamp)]),
    errors: r.errorMessages.map((e) => [e.error, e.nodeId, parseTimestamp(e.timestamp)]),
  };
}

/**
 * A client as `createWorkflowClient` behaves, on a raw socket: every message
 * goes through the real reducer, and each reconnect sends the position the
 * state holds. It also checks, per message, that an execution's `seq`s arrive
 * contiguous: no gap, no duplicate, across reconnects.
 */
export class ReducingClient {
  state: WorkflowState;
  socket: TestClient | undefined;
  /** One entry per violation of seq contiguity. */
  readonly violations: string[] = [];
  /** The first message type of each connection. */
  readonly firstTypes: string[] = [];
  readonly all: ServerMessage[] = [];

  constructor(
    readonly wsBase: string,
    readonly workflowId: string,
  ) {
    this.state = createInitialState(workflowId);
  }

  url(): string {
    const s = this.state;
    const q =
      s.executionId === null
        ? ''
        : `?execution_id=${encodeURIComponent(s.executionId)}` + (s.lastSeq === null ? '' : `&last_seq=${s.lastSeq}`);
    return `${this.wsBase}/api/ws/workflow/${encodeURIComponent(this.workflowId)}${q}`;
  }

  async connect(): Promise<TestClient> {
    let first = true;
    const c = await openClient(this.url(), {
      onMessage: (text) => {
        const m = JSON.parse(text) as ServerMessage;
        expectValidMessage(m);
        if (first) this.firstTypes.push(m.type);
        first = false;
        this.#check(m);
        this.all.push(m);
        this.state = reduceWorkflow(this.state, m);
      },
    });
    this.socket = c;
    return c;
  }

  /** Drops the connection abruptly, as a network failure would. */
  drop(): void {
    this.socket?.ws.terminate();
    this.socket = undefined;
  }

  #check(m: ServerMessage): void {
    if (m.type === 'pong' || m.type === 'metrics' || m.seq === undefined) return;
    const s = this.state;
    if (m.type === 'snapshot') return;
    const id = m.data.execution_id;
    if (id !== s.executionId) {
      if (m.seq !== 1) this.violations.push(`new execution ${id} began at seq ${m.seq}`);
      return;
    }
    if (m.seq !== (s.lastSeq ?? 0) + 1) this.violations.push(`${m.type} seq ${m.seq} after ${s.lastSeq}`);
  }
}

/** Asserts the client's view equals the server record's. */
export function expectSameAsRecord(state: WorkflowState, record: ExecutionRecord): void {
  expect(stateView(state)).toEqual(recordView(record));
}
