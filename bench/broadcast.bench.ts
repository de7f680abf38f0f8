/**
 * What serializing once buys: one `node_status` with a 10 KB result broadcast
 * to 1000 subscribers of a workflow, through the real ConnectionManager,
 * against the naive way (the seed's `for ws in subscribers: ws.send_json(m)`),
 * which encodes the message once per subscriber.
 * Run: npm run bench
 */
import { EventEmitter } from 'node:events';
import { bench, describe } from 'vitest';
import { ConnectionManager, type ManagedSocket } from 'flowpulse/server';
import { createNodeStatusMessage } from 'flowpulse/protocol';

class SinkSocket extends EventEmitter implements ManagedSocket {
  readyState = 1;
  bufferedAmount = 0;
  bytes = 0;
  send(data: Buffer | string, _options?: unknown, cb?: (err?: Error) => void): void {
    this.bytes += data.length;
    cb?.();
  }
  close(): void {}
  terminate(): void {}
  ping(): void {}
}

const SUBSCRIBERS = 1000;
const message = createNodeStatusMessage({
  workflowId: 'w',
  executionId: 'e',
  nodeId: 'n1',
  status: 'completed',
  result: { rows: Array.from({ length: 100 }, (_, i) => ({ id: i, name: `row ${i}`, score: i / 7, tags: ['a', 'b', 'c'] })) },
});

const manager = new ConnectionManager({ pingIntervalMs: 0 });
const sockets = Array.from({ length: SUBSCRIBERS }, () => new SinkSocket());
for (const s of sockets) manager.connect(s, 'w');

describe(`broadcast a ${JSON.stringify(message).length}-byte message to ${SUBSCRIBERS} subscribers`, () => {
  bench('encode per subscriber (naive)', () => {
    for (const s of sockets) s.send(Buffer.from(JSON.stringify(message)), { binary: false });
  });

  bench('encode once, same buffer to all (ConnectionManager)', () => {
    manager.broadcastToWorkflow(message, 'w');
  });
});
