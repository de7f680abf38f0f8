// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogMessage } from 'flowpulse/protocol';
import { ConnectionManager, ReplayBuffer, ReplayStore, parseSocketQuery } from 'flowpulse/server';
import { FakeSocket } from './fake-socket';

const buf = (seq: number, size = 10) => Buffer.from(String(seq).padEnd(size, '.'));

afterEach(() => vi.useRealTimers());

describe('ReplayBuffer', () => {
  it('returns exactly the messages after a seq while it holds them all', () => {
    const b = new ReplayBuffer(100, 10_000);
    for (let s = 1; s <= 5; s++) b.push(s, buf(s));
    expect(b.since(0)!.map(String)).toEqual([1, 2, 3, 4, 5].map((s) => String(buf(s))));
    expect(b.since(3)!.map(String)).toEqual([4, 5].map((s) => String(buf(s))));
    expect(b.since(5)).toEqual([]);
    expect(b.since(6)).toBeUndefined(); // ahead of us: not ours
    expect(b.since(-1)).toBeUndefined();
    expect(b.since(1.5)).toBeUndefined();
  });

  it('is bounded by count and by bytes, dropping the oldest', () => {
    const byCount = new ReplayBuffer(3, 10_000);
    for (let s = 1; s <= 5; s++) byCount.push(s, buf(s));
    expect(byCount.size).toBe(3);
    expect(byCount.since(1)).toBeUndefined(); // 2 was dropped
    expect(byCount.since(2)).toHaveLength(3);
    const byBytes = new ReplayBuffer(100, 25);
    for (let s = 1; s <= 5; s++) byBytes.push(s, buf(s));
    expect([byBytes.size, byBytes.bytes]).toEqual([2, 20]);
    byBytes.push(6, Buffer.alloc(100)); // larger than the bound on its own
    expect([byBytes.size, byBytes.bytes, byBytes.lastSeq]).toEqual([0, 0, 6]);
    expect(byBytes.since(5)).toBeUndefined();
    expect(byBytes.since(6)).toEqual([]);
  });

  it('a gap in seq forgets what came before', () => {
    const b = new ReplayBuffer(100, 10_000);
    b.push(1, buf(1));
    b.push(3, buf(3));
    expect(b.since(1)).toBeUndefined();
    expect(b.since(2)).toHaveLength(1);
  });

  it('stays correct over many pushes (head compaction)', () => {
    const b = new ReplayBuffer(50, 1e9);
    for (let s = 1; s <= 5000; s++) b.push(s, buf(s));
    expect(b.since(4960)!.map(String)).toEqual(Array.from({ length: 40 }, (_, i) => String(buf(4961 + i))));
  });
});

describe('ReplayStore', () => {
  it('releases a buffer some time after its run ended, with an unref timer', () => {
    vi.useFakeTimers();
    const store = new ReplayStore({ retainAfterEndMs: 1000 });
    store.append('e1', 1, buf(1));
    store.end('e1');
    store.append('e1', 2, buf(2)); // nothing follows the end
    expect(store.since('e1', 0)).toHaveLength(1);
    vi.advanceTimersByTime(999);
    expect(store.stats()).toEqual({ executions: 1, bytes: 10 });
    vi.advanceTimersByTime(1);
    expect(store.since('e1', 0)).toBeUndefined();
    expect(store.stats()).toEqual({ executions: 0, bytes: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('bounds the total by releasing finished buffers, oldest first; close clears everything', () => {
    vi.useFakeTimers();
    const store = new ReplayStore({ maxTotalBytes: 35 });
    for (const id of ['a', 'b']) {
      store.append(id, 1, buf(1));
      store.end(id);
    }
    store.append('live', 1, buf(1));
    store.append('live', 2, buf(2)); // 40 bytes: 'a' goes
    expect(store.since('a', 0)).toBeUndefined();
    expect(store.since('b', 0)).toHaveLength(1);
    expect(store.stats().bytes).toBe(30);
    store.close();
    expect(store.stats()).toEqual({ executions: 0, bytes: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('parseSocketQuery', () => {
  it('reads position, metrics and ticket; malformed values count as absent', () => {
    expect(parseSocketQuery('/api/ws/workflow/w?execution_id=e%201&last_seq=42&metrics=1&ticket=t')).toEqual({
      executionId: 'e 1',
      lastSeq: 42,
      metrics: true,
      ticket: 't',
    });
    expect(parseSocketQuery('/api/ws/workflow/w')).toEqual({ executionId: undefined, lastSeq: undefined, metrics: false, ticket: null });
    expect(parseSocketQuery('/api/ws/workflow/w?ticket=').ticket).toBeNull();
    for (const bad of ['-1', '1.5', 'x', '', '9999999999999999999']) {
      expect(parseSocketQuery(`/x?execution_id=e&last_seq=${bad}`).lastSeq).toBeUndefined();
    }
    expect(parseSocketQuery('/x?metrics=0').metrics).toBe(false);
  });
});

describe('ConnectionManager catch-up', () => {
  const log = (seq: number, message = 'x') => createLogMessage({ workflowId: 'w', executionId: 'e', message, seq });

  it('sends a catch-up burst past the backlog limit; live messages get that credit until it drains', () => {
    const m = new ConnectionManager({ maxBufferedBytes: 100, pingIntervalMs: 0 });
    const s = new FakeSocket();
    m.connect(s, 'w');
    const frames = Array.from({ length: 5 }, (_, i) => Buffer.from(JSON.stringify(log(i + 1, 'y'.repeat(60)))));
    const burst = frames.reduce((n, f) => n + f.length, 0);
    s.send = function (data) {
      this.sent.push({ data, options: { binary: false } });
      this.bufferedAmount += data.length; // nothing drains
    };
    expect(m.sendCatchUp(s, frames)).toBe(5);
    expect(m.broadcastToWorkflow(log(6), 'w')).toBe(1); // within limit + credit
    s.bufferedAmount = 50; // drained below the limit: the credit is gone
    expect(m.broadcastToWorkflow(log(7), 'w')).toBe(1);
    s.bufferedAmount = 150;
    expect(m.broadcastToWorkflow(log(8), 'w')).toBe(0);
    expect(m.stats().droppedSlowConsumers).toBe(1);
    expect(burst).toBeGreaterThan(100);
  });

  it('sends metrics only to clients that opted in', () => {
    const m = new ConnectionManager({ pingIntervalMs: 0 });
    const [a, b] = [new FakeSocket(), new FakeSocket()];
    m.connect(a, 'w1', { metrics: true });
    m.connect(b, 'w2');
    expect(m.metricsClientCount()).toBe(1);
    expect(m.broadcastToMetricsSubscribers(log(1))).toBe(1);
    expect([a.sent.length, b.sent.length]).toEqual([1, 0]);
  });
});
