// @vitest-environment node
/**
 * Our client against a Python backend written to the seed design
 * (seed_backend.py: FastAPI + uvicorn, no flowpulse extensions), unchanged.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkflowClient,
  type ConnectionState,
  type ServerMessage,
  type WebSocketConstructor,
  type WorkflowClient,
  type WorkflowClientError,
  type WorkflowClientOptions,
  type WorkflowState,
} from 'flowpulse';
import { specMessages } from '../fixtures';
import { pythonInteropRuns, runPython, startUvicorn, waitUntil, type PythonProcess } from './python';

interface Session {
  client: WorkflowClient;
  state(): WorkflowState;
  /** Every message the client accepted, in order. */
  messages: ServerMessage[];
  /** Everything reported to `onError`. */
  errors: WorkflowClientError[];
  connectionStates: ConnectionState['status'][];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.runIf(pythonInteropRuns)('flowpulse client ↔ Python seed backend (FastAPI, uvicorn)', () => {
  let backend: PythonProcess;
  let port: number;

  beforeAll(async () => {
    ({ backend, port } = await startUvicorn('seed_backend:app'));
  }, 30_000);

  afterAll(async () => {
    await backend?.stop();
  }, 15_000);

  const connect = (workflowId: string, extra: Partial<WorkflowClientOptions> = {}): Session => {
    const messages: ServerMessage[] = [];
    const errors: WorkflowClientError[] = [];
    const connectionStates: ConnectionState['status'][] = [];
    const client = createWorkflowClient({
      workflowId,
      baseUrl: `ws://127.0.0.1:${port}`,
      WebSocket: WebSocket as unknown as WebSocketConstructor,
      batch: 'sync',
      onMessage: (m) => messages.push(m),
      onError: (e) => errors.push(e),
      onStateChange: (s) => connectionStates.push(s.status),
      ...extra,
    });
    client.mount();
    return { client, state: () => client.store.getState(), messages, errors, connectionStates };
  };

  const diagnosis = (s: Session) =>
    JSON.stringify({ state: s.state(), errors: s.errors, types: s.messages.map((m) => m.type), stderr: backend.stderr().slice(-2000) });

  /** Waits for `check`; on timeout the error shows what the client saw and what uvicorn said. */
  const until = (s: Session, check: () => boolean) => waitUntil(check, 8_000, () => diagnosis(s));

  /** Open, and past one ping/pong: the backend's socket loop runs, so it is subscribed before a run starts. */
  const ready = async (s: Session) => {
    await until(s, () => s.state().connection.status === 'open');
    expect(s.client.send('ping')).toBe(true);
    await until(s, () => s.messages.some((m) => m.type === 'pong'));
  };

  const execute = async (workflowId: string, inputs: Record<string, unknown> = {}): Promise<string> => {
    const res = await fetch(`http://127.0.0.1:${port}/api/workflows/${workflowId}/execute`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ initial_inputs: inputs }),
    });
    const body = (await res.json()) as { execution_id?: unknown };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(typeof body.execution_id).toBe('string');
    return body.execution_id as string;
  };

  const finished = (s: Session, executionId: string) => until(s, () => s.state().executionId === executionId && s.state().success !== null);

  it("connects, and the heartbeat runs against Python's pong", async () => {
    const s = connect('linear', { heartbeatIntervalMs: 200, heartbeatTimeoutMs: 1000 });
    try {
      await until(s, () => s.state().connection.status === 'open');
      await sleep(1600);
      // A ping left unanswered for 1 s would have dropped the socket (reconnecting).
      expect(s.state().connection).toMatchObject({ status: 'open', attempt: 0 });
      expect(s.connectionStates).toEqual(['connecting', 'open']);
      const pongs = s.messages.filter((m) => m.type === 'pong');
      expect(pongs.length).toBeGreaterThanOrEqual(4);
      for (const pong of pongs) expect(pong).toEqual({ ...specMessages.pong, workflow_id: 'linear' });
      expect(s.state().problems).toEqual([]);
      expect(s.errors).toEqual([]);
    } finally {
      s.client.destroy();
    }
  });

  it('follows a successful run to the end', async () => {
    const s = connect('linear');
    const flows = new Map<string, { source: string; target: string; edgeId: string | null; data: unknown }>();
    const unsubscribe = s.client.store.subscribe((state) => {
      for (const f of state.edgeFlows) flows.set(f.id, { source: f.sourceNodeId, target: f.targetNodeId, edgeId: f.edgeId, data: f.data });
    });
    try {
      await ready(s);
      const executionId = await execute('linear', { rows: 4 });
      await finished(s, executionId);
      const state = s.state();

      expect(state).toMatchObject({
        executionId,
        executionOrder: ['a', 'b', 'c'],
        totalNodes: 3,
        runStatus: 'completed',
        success: true,
        progress: 100,
        completionErrors: [],
        errors: [],
      });
      expect(state.executionTime).toBeGreaterThan(0);
      const results = { a: { rows: 4 }, b: { rows: 8 }, c: { output: '8 rows' } };
      for (const [id, result] of Object.entries(results)) {
        const node = state.nodeStatuses[id]!;
        expect(node, id).toMatchObject({ status: 'completed', result, error: null });
        expect(node.startedAt, id).toEqual(expect.any(Number));
        expect(node.finishedAt, id).toBeGreaterThanOrEqual(node.startedAt!);
        // Each node sleeps 50 ms between `running` and `completed` (timestamps are Python's, zone-less local time).
        expect(node.durationMs, id).toBeGreaterThanOrEqual(40);
        expect(node.durationMs, id).toBeLessThan(5000);
      }
      expect([...flows.values()]).toEqual([
        { source: 'a', target: 'b', edgeId: 'a-b', data: results.a },
        { source: 'b', target: 'c', edgeId: 'b-c', data: results.b },
      ]);
      const progress = s.messages.flatMap((m) => (m.type === 'progress' ? [m.data.progress] : []));
      // Python's `current_step / total_steps * 100`, float for float.
      expect(progress).toEqual([1, 2, 3].map((step) => (step / 3) * 100));
      expect(state.logs.length).toBeGreaterThanOrEqual(5);
      expect(state.logs.map((l) => l.message)).toContain('Running node b');
      expect(state.logs.every((l) => l.executionId === executionId && l.nodeId === null && l.time > 0)).toBe(true);
      // Nothing the Python backend sent was rejected.
      expect(state.problems).toEqual([]);
      expect(s.errors).toEqual([]);
    } finally {
      unsubscribe();
      s.client.destroy();
    }
  });

  it('follows a failing run: the node in error, the run failed', async () => {
    const s = connect('failing');
    try {
      await ready(s);
      const executionId = await execute('failing');
      await finished(s, executionId);
      const state = s.state();
      const message = 'Payment API returned 503';

      expect(state).toMatchObject({ executionId, runStatus: 'failed', success: false, progress: 100 });
      expect(state.nodeStatuses.a).toMatchObject({ status: 'completed', result: { rows: 3 } });
      expect(state.nodeStatuses.b).toMatchObject({ status: 'error', error: message });
      expect(state.nodeStatuses.b!.durationMs).toBeGreaterThanOrEqual(40);
      expect(state.nodeStatuses.c).toEqual({ status: 'pending' });
      expect(Object.values(state.nodeStatuses).filter((n) => n.status === 'running')).toEqual([]);
      expect(state.errors).toEqual([{ message, nodeId: 'b', time: expect.any(Number), executionId }]);
      expect(state.completionErrors).toEqual([{ node_id: 'b', error: message }]);
      expect(state.logs.filter((l) => l.level === 'error').map((l) => l.message)).toEqual([`Node b failed: ${message}`]);
      expect(state.problems).toEqual([]);
      expect(s.errors).toEqual([]);
    } finally {
      s.client.destroy();
    }
  });

  it('two runs in a row: the second starts from a blank slate and completes', async () => {
    const s = connect('linear');
    // The first state seen of each execution: what `workflow_start` made of it.
    const firstSeen = new Map<string, WorkflowState>();
    const unsubscribe = s.client.store.subscribe((state) => {
      if (state.executionId !== null && !firstSeen.has(state.executionId)) firstSeen.set(state.executionId, state);
    });
    try {
      await ready(s);
      const first = await execute('linear');
      await finished(s, first);
      expect(s.state().runStatus).toBe('completed');

      const second = await execute('linear');
      await finished(s, second);
      expect(second).not.toBe(first);

      const start = firstSeen.get(second)!;
      expect(start).toMatchObject({ runStatus: 'running', progress: 0, edgeFlows: [], logs: [], success: null });
      expect(start.nodeStatuses).toEqual({ a: { status: 'pending' }, b: { status: 'pending' }, c: { status: 'pending' } });

      const state = s.state();
      expect(state).toMatchObject({ executionId: second, runStatus: 'completed', success: true, progress: 100 });
      expect(state.pastExecutionIds).toEqual([first]);
      expect(Object.values(state.nodeStatuses).map((n) => n.status)).toEqual(['completed', 'completed', 'completed']);
      // Only the second run's lines: the first one's were cleared by its workflow_start.
      expect(new Set(state.logs.map((l) => l.executionId))).toEqual(new Set([second]));
      expect(state.problems).toEqual([]);
      expect(s.errors).toEqual([]);
    } finally {
      unsubscribe();
      s.client.destroy();
    }
  });

  it("the backend's WebSocketHandler builds exactly the spec's example messages", async () => {
    const script = `
import json
from seed_backend import WebSocketHandler as H
w, e = "123", "uuid-string"
print(json.dumps({
    "workflow_start": H.create_workflow_start_message(w, e, ["node1", "node2", "node3"]),
    "workflow_complete": H.create_workflow_complete_message(w, e, True, 5.23, []),
    "node_status_running": H.create_node_status_message(w, e, "node1", "running"),
    "node_status_completed": H.create_node_status_message(w, e, "node1", "completed", result={"output": "ok"}),
    "node_status_error": H.create_node_status_message(w, e, "node1", "error", error="error message"),
    "edge_flow": H.create_edge_flow_message(w, e, "node1", "node2"),
    "progress": H.create_progress_message(w, e, 2, 5, "node2"),
    "log": H.create_log_message(w, e, "info", "log message"),
    "error": H.create_error_message(w, e, "error message", node_id="node1"),
}))`;
    const out = await runPython(['-c', script]);
    const built = JSON.parse(out) as Record<string, { timestamp: string }>;
    expect(Object.keys(built).sort()).toEqual(
      Object.keys(specMessages)
        .filter((k) => k !== 'pong')
        .sort(),
    );
    for (const [name, message] of Object.entries(built)) {
      // datetime.now().isoformat(): zone-less, microseconds (omitted by Python only when they are exactly 0).
      expect(message.timestamp, name).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$/);
      expect({ ...message, timestamp: specMessages[name].timestamp }, name).toEqual(specMessages[name]);
    }
    // Floats stay floats on the wire, as in the spec's example.
    expect(out).toContain('"progress": 40.0');
  });
});
