// @vitest-environment node
/**
 * Our client against examples/fastapi/app.py (FastAPI + uvicorn, the lossless
 * extensions in Python, no flowpulse code): every message it sends is valid,
 * a client whose socket keeps dropping ends up with exactly the run's record,
 * and so do clients that join late or whose uvicorn restarted mid-run.
 */
import { join } from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkflowClient,
  parseTimestamp,
  type SnapshotData,
  type WebSocketConstructor,
  type WorkflowClient,
  type WorkflowClientError,
  type WorkflowClientOptions,
  type WorkflowState,
} from 'flowpulse';
import { expectValidMessage } from '../server/helpers';
import { FIXTURES_DIR, INTEROP_DIR, lastJsonLine, pythonInteropRuns, runPython, SCHEMA_PATH, startUvicorn, waitUntil } from './python';
import type { PythonProcess } from './python';

const EXAMPLE_DIR = join(INTEROP_DIR, '..', '..', 'examples', 'fastapi');

interface Backend {
  process: PythonProcess;
  port: number;
}

/** One socket the client opened: its URL and the text frames the client received on it, in order. */
interface SocketLog {
  socket: WebSocket;
  url: URL;
  frames: string[];
}

interface Session {
  client: WorkflowClient;
  state(): WorkflowState;
  sockets: SocketLog[];
  /** Everything reported to `onError`. */
  errors: WorkflowClientError[];
  close(): void;
}

/** Every frame any client of this file received, for the last test. */
const allFrames = new Set<string>();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const time = (iso: string | null | undefined) => (iso ? parseTimestamp(iso) : undefined);
const byNode = <T, U>(nodes: Record<string, T>, f: (n: T) => U) => Object.fromEntries(Object.entries(nodes).map(([id, n]) => [id, f(n)]));

describe.runIf(pythonInteropRuns)('flowpulse client ↔ examples/fastapi (FastAPI, uvicorn, lossless extensions)', () => {
  let main: Backend;
  /** The same app with a replay buffer of 3 messages: a client that missed more gets a snapshot. */
  let small: Backend;
  const sessions: Session[] = [];

  beforeAll(async () => {
    const start = async (env: Record<string, string> = {}): Promise<Backend> => {
      const { backend, port } = await startUvicorn('app:app', { cwd: EXAMPLE_DIR, env });
      return { process: backend, port };
    };
    [main, small] = await Promise.all([start(), start({ REPLAY_MESSAGES: '3' })]);
  }, 30_000);

  afterAll(async () => {
    for (const s of sessions) s.close();
    await Promise.all([main?.process.stop(), small?.process.stop()]);
  }, 15_000);

  const connect = (backend: Backend, workflowId: string, extra: Partial<WorkflowClientOptions> = {}): Session => {
    const sockets: SocketLog[] = [];
    const errors: WorkflowClientError[] = [];
    // `ws`, remembering every socket the client opens so a test can cut it like a network would.
    class TrackedWebSocket extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols);
        const log: SocketLog = { socket: this, url: new URL(url), frames: [] };
        sockets.push(log);
        this.on('message', (data: WebSocket.RawData) => {
          const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer)).toString('utf8');
          allFrames.add(text);
          // What the client received: not what still arrives on a socket it has let go of.
          if (this.onmessage) log.frames.push(text);
        });
      }
    }
    const client = createWorkflowClient({
      workflowId,
      baseUrl: `ws://127.0.0.1:${backend.port}`,
      WebSocket: TrackedWebSocket as unknown as WebSocketConstructor,
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
      onError: (e) => errors.push(e),
      ...extra,
    });
    const release = client.mount();
    const session: Session = {
      client,
      state: () => client.store.getState(),
      sockets,
      errors,
      close: () => {
        release();
        client.destroy();
      },
    };
    sessions.push(session);
    return session;
  };

  const diagnosis = (backend: Backend, s: Session) =>
    JSON.stringify({
      state: { ...s.state(), logs: s.state().logs.length },
      errors: s.errors,
      urls: s.sockets.map((l) => l.url.search),
      stderr: backend.process.stderr().slice(-2000),
    });
  const until = (backend: Backend, s: Session, check: () => boolean) => waitUntil(check, 8_000, () => diagnosis(backend, s));

  /** Open, and past a ping/pong: subscribed on the server. */
  const ready = async (backend: Backend, s: Session) => {
    const pongs = () => s.sockets.at(-1)?.frames.filter((f) => f.includes('"pong"')).length ?? 0;
    await until(backend, s, () => s.state().connection.status === 'open');
    expect(s.client.send('ping')).toBe(true);
    await until(backend, s, () => pongs() > 0);
  };

  const api = (backend: Backend, path: string, body?: unknown) =>
    fetch(`http://127.0.0.1:${backend.port}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  const execute = async (backend: Backend, workflowId: string, inputs: Record<string, unknown>): Promise<string> => {
    const res = await api(backend, `/api/workflows/${workflowId}/execute`, { initial_inputs: inputs });
    const body = (await res.json()) as { execution_id: string };
    expect(res.status, JSON.stringify(body)).toBe(202);
    return body.execution_id;
  };

  /** The backend's record of a run (`GET …/executions/{id}`: a snapshot's data, every log line kept). */
  const record = async (backend: Backend, workflowId: string, executionId: string): Promise<SnapshotData> => {
    const res = await api(backend, `/api/workflows/${workflowId}/executions/${executionId}`);
    expect(res.status).toBe(200);
    return (await res.json()) as SnapshotData;
  };

  const finished = (backend: Backend, s: Session, executionId: string) =>
    until(backend, s, () => s.state().executionId === executionId && s.state().success !== null);

  /**
   * Every frame valid (our parser and the JSON Schema), and on each socket each
   * execution's `seq` continuing where the client said it was (`last_seq` in the
   * URL) or where the last snapshot put it, one by one: nothing sent twice, nothing skipped.
   */
  const expectValidContiguousFrames = (s: Session) => {
    for (const { url, frames } of s.sockets) {
      const at = new Map<string, number>();
      const position = url.searchParams.get('execution_id');
      if (position !== null) at.set(position, Number(url.searchParams.get('last_seq')));
      for (const text of frames) {
        const m = JSON.parse(text) as { type: string; seq?: number; data?: { execution_id?: string | null } };
        expectValidMessage(m);
        const id = m.data?.execution_id;
        if (m.type === 'pong' || id == null) continue;
        expect(Number.isInteger(m.seq), text).toBe(true);
        const before = at.get(id);
        if (m.type === 'snapshot') expect(m.seq!, text).toBeGreaterThanOrEqual(before ?? 0);
        else expect(m.seq, `${url.search}: ${text}`).toBe((before ?? 0) + 1);
        at.set(id, m.seq!);
      }
    }
  };

  /**
   * The client shows exactly what the backend recorded: every field a snapshot carries.
   * Nothing was rejected; `downtime`: but for the refused reconnects of a server that was down.
   */
  const expectMatchesRecord = (s: Session, rec: SnapshotData, { downtime = false } = {}) => {
    const state = s.state();
    expect({
      executionId: state.executionId,
      runStatus: state.runStatus,
      executionOrder: state.executionOrder,
      progress: state.progress,
      currentStep: state.currentStep,
      currentNodeId: state.currentNodeId,
      success: state.success,
      executionTime: state.executionTime,
      completionErrors: state.completionErrors,
      cancelReason: state.cancelReason,
      droppedLogs: state.droppedLogs,
      runStartedAt: state.runStartedAt,
      stale: state.stale,
    }).toEqual({
      executionId: rec.execution_id,
      runStatus: rec.run_state,
      executionOrder: rec.execution_order,
      progress: rec.progress,
      currentStep: rec.current_step,
      currentNodeId: rec.current_node_id,
      success: rec.success,
      executionTime: rec.execution_time,
      completionErrors: rec.completion_errors,
      cancelReason: rec.cancel_reason ?? null,
      droppedLogs: rec.dropped_logs,
      runStartedAt: time(rec.started_at),
      stale: false,
    });
    expect(
      byNode(state.nodeStatuses, (n) => ({
        status: n.status,
        result: n.result ?? null,
        error: n.error ?? null,
        startedAt: n.startedAt,
        finishedAt: n.finishedAt,
      })),
    ).toEqual(
      byNode(rec.nodes, (n) => ({
        status: n.status,
        result: n.result,
        error: n.error,
        startedAt: time(n.started_at),
        finishedAt: time(n.finished_at),
      })),
    );
    // Every line once, in order, none missing: the record keeps them all (seq included).
    const seqs = state.logs.map((l) => l.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a! - b!));
    expect(state.logs.map((l) => ({ seq: l.seq, level: l.level, message: l.message, nodeId: l.nodeId, time: l.time }))).toEqual(
      rec.logs.map((l) => ({ seq: l.seq, level: l.level, message: l.message, nodeId: l.node_id, time: time(l.timestamp) })),
    );
    expect(state.errors.map((e) => ({ message: e.message, nodeId: e.nodeId, time: e.time }))).toEqual(
      rec.errors.map((e) => ({ message: e.error, nodeId: e.node_id, time: time(e.timestamp) })),
    );
    const refused = (e: { code: string }) => downtime && e.code === 'socket_error';
    expect(state.problems.filter((e) => !refused(e))).toEqual([]);
    expect(s.errors.filter((e) => !refused(e))).toEqual([]);
    expectValidContiguousFrames(s);
  };

  /** The messages of one execution a session received, snapshots aside, by seq. */
  const wireSeqs = (s: Session, executionId: string) =>
    s.sockets.flatMap(({ frames }) =>
      frames.flatMap((f) => {
        const m = JSON.parse(f) as { type: string; seq?: number; data?: { execution_id?: string } };
        return m.type !== 'snapshot' && m.data?.execution_id === executionId ? [m.seq!] : [];
      }),
    );
  const snapshotsOf = (s: Session, executionId: string) =>
    s.sockets.flatMap(({ frames }) =>
      frames.filter((f) => f.includes('"type":"snapshot"') && f.includes(`"execution_id":"${executionId}"`)),
    );

  describe.each([
    ['main', () => main],
    ['small', () => small],
  ])('lossless reconnects (%s backend)', (_, backend) => {
    it('the socket cut again and again mid-run: the client ends with the run record, every log line once', async () => {
      const b = backend();
      const s = connect(b, 'orders');
      // Connected all along: it says how far the run is.
      const observer = connect(b, 'orders');
      await Promise.all([ready(b, s), ready(b, observer)]);
      const executionId = await execute(b, 'orders', { rows: 40, step_seconds: 0.05 });

      let midRun = 0;
      let socketsAtDrop = 0;
      for (let drop = 0; drop < 12 && observer.state().success === null; drop++) {
        const seq = s.state().lastSeq ?? 0;
        // Wait for the reconnect and a message applied on it (or the run's end).
        await until(
          b,
          s,
          () =>
            observer.state().success !== null ||
            (s.state().connection.status === 'open' && s.sockets.length > socketsAtDrop && (s.state().lastSeq ?? 0) > seq),
        );
        socketsAtDrop = s.sockets.length;
        if (observer.state().success !== null) break;
        if (drop % 3 === 2) {
          // A long gap: more messages missed than the small backend buffers.
          s.client.close();
          const from = s.state().lastSeq ?? 0;
          await until(b, observer, () => observer.state().success !== null || (observer.state().lastSeq ?? 0) >= from + 5);
          s.client.reconnect();
        } else if (drop % 3 === 1) {
          // The app's own restart of the connection.
          s.client.reconnect();
        } else {
          // The network: the TCP connection is gone, no close frame.
          await sleep(10);
          s.sockets.at(-1)!.socket.terminate();
        }
        if (observer.state().success === null) midRun++;
      }
      expect(midRun).toBeGreaterThanOrEqual(4);

      await finished(b, s, executionId);
      await finished(b, observer, executionId);
      const rec = await record(b, 'orders', executionId);
      expect(rec).toMatchObject({ run_state: 'completed', success: true, progress: 100 });
      expect(byNode(rec.nodes, (n) => n.status)).toEqual({
        fetch: 'completed',
        validate: 'completed',
        enrich: 'completed',
        report: 'completed',
      });
      expect(rec.nodes.report!.result).toEqual({ summary: '40 orders, 20 customers' });
      expectMatchesRecord(s, rec);
      expectMatchesRecord(observer, rec);

      // Every reconnect said where the client was.
      for (const { url } of s.sockets.slice(1)) {
        expect(url.searchParams.get('execution_id'), url.search).toBe(executionId);
        expect(url.searchParams.get('last_seq'), url.search).toMatch(/^\d+$/);
      }
      const seqs = wireSeqs(s, executionId);
      const last = observer.state().lastSeq!;
      expect(s.state().lastSeq).toBe(last);
      if (b === main) {
        // Everything missed was replayed: each message exactly once on the wire, no snapshot of the run needed.
        expect(seqs).toEqual(Array.from({ length: last }, (_, i) => i + 1));
        expect(snapshotsOf(s, executionId)).toEqual([]);
      } else {
        // Past the replay buffer the client got snapshots instead, and still lost nothing.
        expect(snapshotsOf(s, executionId).length).toBeGreaterThanOrEqual(1);
        expect(new Set(seqs).size).toBe(seqs.length);
      }
      s.close();
      observer.close();
    });
  });

  it('late joiners (mid-run, then after the end) get the snapshot and show the same final state', async () => {
    const observer = connect(main, 'orders');
    await ready(main, observer);
    const executionId = await execute(main, 'orders', { rows: 4, step_seconds: 0.1 });
    await until(main, observer, () => observer.state().executionId === executionId && (observer.state().lastSeq ?? 0) >= 8);

    const midRun = connect(main, 'orders');
    await until(main, midRun, () => midRun.state().executionId === executionId);
    const first = JSON.parse(midRun.sockets[0]!.frames[0]!) as { type: string; seq: number; data: SnapshotData };
    // No position: the newest run's snapshot, live, numbered where the run is.
    expect(first.type).toBe('snapshot');
    expect(first.data).toMatchObject({ execution_id: executionId, run_state: 'running', success: null });
    expect(first.seq).toBeGreaterThanOrEqual(8);
    expect(first.data.logs.map((l) => l.seq)).toEqual(expect.arrayContaining([2]));
    expect(midRun.state()).toMatchObject({ joined: true, runStatus: 'running' });

    await finished(main, observer, executionId);
    await finished(main, midRun, executionId);
    const after = connect(main, 'orders');
    await finished(main, after, executionId);
    const rec = await record(main, 'orders', executionId);
    expect(rec).toMatchObject({ run_state: 'completed', success: true });
    for (const s of [observer, midRun, after]) expectMatchesRecord(s, rec);
    expect(after.state().joined).toBe(true);
    // The latecomer after the end: one snapshot, nothing else of the run.
    expect(after.sockets.map((l) => l.frames.map((f) => (JSON.parse(f) as { type: string }).type))).toEqual([['snapshot']]);
    for (const s of [observer, midRun, after]) s.close();
  });

  it('a failing run and a cancelled one: node errors, run errors, run_state and the reason, as recorded', async () => {
    const s = connect(main, 'failing');
    await ready(main, s);
    const failing = await execute(main, 'failing', { step_seconds: 0.02 });
    await finished(main, s, failing);
    const failed = await record(main, 'failing', failing);
    const message = 'Payment API returned 503';
    expect(failed).toMatchObject({ run_state: 'failed', success: false, completion_errors: [{ node_id: 'charge', error: message }] });
    expect(byNode(failed.nodes, (n) => n.status)).toEqual({
      fetch: 'completed',
      charge: 'error',
      validate: 'completed',
      enrich: 'pending',
      report: 'pending',
    });
    expectMatchesRecord(s, failed);
    expect(s.state().nodeStatuses.charge).toMatchObject({ status: 'error', error: message });

    const cancelled = await execute(main, 'failing', { step_seconds: 0.5 });
    await until(main, s, () => s.state().executionId === cancelled && s.state().nodeStatuses.fetch?.status === 'running');
    const res = await api(main, `/api/workflows/failing/executions/${cancelled}/cancel`, {});
    expect(res.status).toBe(200);
    expect((await api(main, `/api/workflows/failing/executions/${cancelled}/cancel`, {})).status).toBe(409);
    await finished(main, s, cancelled);
    const rec = await record(main, 'failing', cancelled);
    expect(rec).toMatchObject({
      run_state: 'cancelled',
      cancel_reason: 'cancelled by user',
      success: false,
      completion_errors: ['Execution cancelled: cancelled by user'],
    });
    expect(rec.nodes.fetch).toMatchObject({ status: 'error', error: 'cancelled: cancelled by user' });
    expectMatchesRecord(s, rec);
    expect(s.state().pastExecutionIds).toEqual([failing]);
    s.close();
  });

  it('uvicorn restarted mid-run: the client reconnects, gets execution_id null, marks the run stale, then follows the new run', async () => {
    const start = async (port?: number): Promise<Backend> => {
      const { backend, port: bound } = await startUvicorn('app:app', { cwd: EXAMPLE_DIR, port });
      return { process: backend, port: bound };
    };
    const before = await start();
    const s = connect(before, 'failing');
    let after: Backend | undefined;
    try {
      await ready(before, s);
      const old = await execute(before, 'failing', { step_seconds: 0.5 });
      await until(before, s, () => s.state().executionId === old && s.state().nodeStatuses.fetch?.status === 'running');

      await before.process.stop();
      await until(before, s, () => s.state().connection.status === 'reconnecting');
      after = await start(before.port);
      await until(after, s, () => s.state().stale);
      const url = s.sockets.at(-1)!.url;
      expect(url.searchParams.get('execution_id')).toBe(old);
      // It knows no run of the workflow: the one snapshot of no run, nothing else.
      expect(s.sockets.at(-1)!.frames.map((f) => JSON.parse(f) as unknown)).toEqual([
        expect.objectContaining({ type: 'snapshot', data: expect.objectContaining({ execution_id: null, workflow_id: 'failing' }) }),
      ]);
      expect(s.state()).toMatchObject({ executionId: old, stale: true, runStartedAt: null, connection: { status: 'open' } });

      await ready(after, s);
      const fresh = await execute(after, 'failing', { step_seconds: 0.02 });
      await finished(after, s, fresh);
      expectMatchesRecord(s, await record(after, 'failing', fresh), { downtime: true });
      expect(s.state().pastExecutionIds).toEqual([old]);
    } finally {
      s.close();
      await before.process.stop();
      await after?.process.stop();
    }
  });

  it('a client with a token connects: the example answers the flowpulse subprotocol', async () => {
    const s = connect(main, 'orders', { token: 'secret' });
    await ready(main, s);
    expect(s.sockets[0]!.socket.protocol).toBe('flowpulse');
    expect(s.errors).toEqual([]);
    s.close();
  });

  // Runs last: it checks the frames every test above received.
  it('every message the example sent is valid for our parser, the JSON Schema (Ajv) and Python jsonschema, and it sent every kind', async () => {
    const messages = [...allFrames].map((f) => JSON.parse(f) as { type: string; data?: { execution_id?: unknown } });
    for (const m of messages) expectValidMessage(m);
    const kinds = new Set(messages.map((m) => m.type));
    expect([...kinds].sort()).toEqual(
      [
        'edge_flow',
        'error',
        'log',
        'node_status',
        'pong',
        'progress',
        'run_state',
        'snapshot',
        'workflow_complete',
        'workflow_start',
      ].sort(),
    );
    expect(messages.some((m) => m.type === 'snapshot' && m.data?.execution_id === null)).toBe(true);
    expect(messages.some((m) => m.type === 'log' && typeof (m.data as { node_id?: unknown }).node_id === 'string')).toBe(true);

    const input = JSON.stringify(Object.fromEntries(messages.map((m, i) => [`example ${i}: ${m.type}`, m])));
    const { results } = lastJsonLine(await runPython(['validate_messages.py', SCHEMA_PATH, FIXTURES_DIR], { input })) as {
      results: Record<string, string[]>;
    };
    const invalid = Object.entries(results).filter(([, errors]) => errors.length > 0);
    expect(invalid).toEqual([]);
    expect(Object.keys(results).filter((k) => k.startsWith('example '))).toHaveLength(messages.length);
  });
});
