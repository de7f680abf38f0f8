// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectionManager } from 'flowpulse/server';
import { createLogMessage, createPongMessage } from 'flowpulse/protocol';
import { FakeSocket } from './fake-socket';

const log = (workflowId: string, message = 'hello') => createLogMessage({ workflowId, executionId: 'e1', message, seq: 1 });

describe('ConnectionManager', () => {
  const managers: ConnectionManager[] = [];
  const make = (...args: ConstructorParameters<typeof ConnectionManager>) => {
    const m = new ConnectionManager(...args);
    managers.push(m);
    return m;
  };
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(managers.splice(0).map((m) => m.close(10)));
  });

  it('broadcasts one serialized buffer, as a text frame, to the workflow subscribers only', () => {
    const m = make();
    const [a, b, other] = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    m.connect(a, 'w1');
    m.connect(b, 'w1');
    m.connect(other, 'w2');
    const stringify = vi.spyOn(JSON, 'stringify');
    const message = log('w1');
    expect(m.broadcastToWorkflow(message, 'w1')).toBe(2);
    expect(stringify).toHaveBeenCalledTimes(1);
    stringify.mockRestore();
    expect(a.sent).toHaveLength(1);
    expect(a.sent[0]!.data).toBe(b.sent[0]!.data); // the very same Buffer
    expect(a.sent[0]!.options).toEqual({ binary: false });
    expect(JSON.parse(a.texts()[0]!)).toEqual(message);
    expect(other.sent).toHaveLength(0);
    expect(m.broadcastToWorkflow(message, 'nobody')).toBe(0);
    expect(m.stats()).toMatchObject({ clients: 3, workflows: 2, sent: 2 });
  });

  it('broadcastAll reaches every workflow; sendPersonalMessage exactly one socket', () => {
    const m = make();
    const [a, b, c] = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    m.connect(a, 'w1');
    m.connect(b, 'w2');
    m.connect(c, 'w3');
    expect(m.broadcastAll(log('*'))).toBe(3);
    expect([a, b, c].map((s) => s.sent.length)).toEqual([1, 1, 1]);
    expect(m.sendPersonalMessage(log('w2', 'just you'), b)).toBe(true);
    expect([a, b, c].map((s) => s.sent.length)).toEqual([1, 2, 1]);
    expect(JSON.parse(b.texts()[1]!).data.message).toBe('just you');
  });

  it('counts clients and forgets sockets that close; reconnecting moves a socket', () => {
    const m = make();
    const [a, b] = [new FakeSocket(), new FakeSocket()];
    m.connect(a, 'w1');
    m.connect(b, 'w1');
    expect(m.clientCount('w1')).toBe(2);
    expect(m.clientCount()).toBe(2);
    a.close(1000, 'bye');
    expect(m.clientCount('w1')).toBe(1);
    m.connect(b, 'w2');
    expect(m.clientCount('w1')).toBe(0);
    expect(m.clientCount('w2')).toBe(1);
    expect(m.disconnect(b)).toBe(true);
    expect(m.disconnect(b)).toBe(false);
    expect(m.stats()).toMatchObject({ clients: 0, workflows: 0 });
    // Listeners are removed, but an error listener stays so a late error cannot crash the process.
    expect(b.listenerCount('message')).toBe(0);
    expect(() => b.emit('error', new Error('late'))).not.toThrow();
  });

  it('answers a text ping with exactly the spec pong, and ignores everything else', () => {
    const m = make();
    const s = new FakeSocket();
    m.connect(s, '123');
    s.emit('message', Buffer.from('ping'), false);
    expect(s.texts()).toEqual(['{"type":"pong","workflow_id":"123"}']);
    expect(s.texts()[0]).toBe(JSON.stringify(createPongMessage('123')));
    for (const junk of [
      Buffer.from('{"type":"ping"'),
      Buffer.from([0xff, 0xfe, 0x00]),
      [Buffer.from('pi'), Buffer.from('ng')],
      new ArrayBuffer(8),
      Buffer.alloc(100_000, 'x'),
      undefined,
      null,
      42,
    ]) {
      expect(() => s.emit('message', junk, false)).not.toThrow();
    }
    s.emit('message', Buffer.from('ping'), true); // binary frames are not the heartbeat
    // The fragmented ['pi','ng'] is one text message "ping" as ws delivers it.
    expect(s.texts()).toEqual(['{"type":"pong","workflow_id":"123"}', '{"type":"pong","workflow_id":"123"}']);
  });

  it('drops a slow consumer with 1013 "slow consumer" instead of queueing, and counts it', () => {
    vi.useFakeTimers();
    const m = make({ maxBufferedBytes: 1000, slowConsumerGraceMs: 50 });
    const [fast, slow] = [new FakeSocket(), new FakeSocket()];
    slow.closeCompletes = false; // the close frame cannot flush
    m.connect(fast, 'w');
    m.connect(slow, 'w');
    expect(m.broadcastToWorkflow(log('w'), 'w')).toBe(2);
    slow.bufferedAmount = 1001;
    expect(m.broadcastToWorkflow(log('w'), 'w')).toBe(1);
    expect(slow.sent).toHaveLength(1);
    expect(slow.closes).toEqual([{ code: 1013, reason: 'slow consumer' }]);
    expect(m.clientCount('w')).toBe(1);
    expect(m.stats()).toMatchObject({ droppedSlowConsumers: 1, clients: 1 });
    expect(slow.terminated).toBe(false);
    vi.advanceTimersByTime(50);
    expect(slow.terminated).toBe(true);
    // Later broadcasts do not touch it at all.
    m.broadcastToWorkflow(log('w'), 'w');
    expect(slow.sent).toHaveLength(1);
    expect(fast.sent).toHaveLength(3);
  });

  it('a consumer exactly at the limit still receives', () => {
    const m = make({ maxBufferedBytes: 1000 });
    const s = new FakeSocket();
    s.bufferedAmount = 1000;
    m.connect(s, 'w');
    expect(m.broadcastToWorkflow(log('w'), 'w')).toBe(1);
    expect(m.sendPersonalMessage(log('w'), s)).toBe(true);
  });

  it('skips sockets that are not open and survives a send that throws', () => {
    const m = make();
    const [closing, broken, ok] = [new FakeSocket(), new FakeSocket(), new FakeSocket()];
    closing.readyState = 2;
    broken.send = () => {
      throw new Error('boom');
    };
    for (const s of [closing, broken, ok]) m.connect(s, 'w');
    expect(m.broadcastToWorkflow(log('w'), 'w')).toBe(1);
    expect(m.clientCount('w')).toBe(2); // the broken one was let go
  });

  it('pings on an interval and terminates clients that missed the previous ping', () => {
    vi.useFakeTimers();
    const m = make({ pingIntervalMs: 1000 });
    const [answers, silent] = [new FakeSocket(), new FakeSocket()];
    answers.ping = () => {
      answers.pings++;
      queueMicrotask(() => answers.emit('pong'));
    };
    m.connect(answers, 'w');
    m.connect(silent, 'w');
    vi.advanceTimersByTime(1000);
    expect([answers.pings, silent.pings]).toEqual([1, 1]);
    return Promise.resolve().then(() => {
      vi.advanceTimersByTime(1000);
      expect(silent.terminated).toBe(true);
      expect(answers.terminated).toBe(false);
      expect(answers.pings).toBe(2);
      expect(m.stats()).toMatchObject({ clients: 1, terminatedUnresponsive: 1 });
    });
  });

  it('runs no timer without clients, and close() clears it and closes clients with 1001', async () => {
    vi.useFakeTimers();
    const m = make({ pingIntervalMs: 1000 });
    expect(vi.getTimerCount()).toBe(0);
    const s = new FakeSocket();
    m.connect(s, 'w');
    expect(vi.getTimerCount()).toBe(1);
    s.close();
    expect(vi.getTimerCount()).toBe(0);
    const t = new FakeSocket();
    m.connect(t, 'w');
    await m.close();
    expect(t.closes).toEqual([{ code: 1001, reason: 'server shutting down' }]);
    expect(vi.getTimerCount()).toBe(0);
    expect(m.clientCount()).toBe(0);
  });

  it('close() terminates clients that do not finish closing in time', async () => {
    const m = make();
    const s = new FakeSocket();
    s.closeCompletes = false;
    m.connect(s, 'w');
    await m.close(20);
    expect(s.terminated).toBe(true);
  });
});
