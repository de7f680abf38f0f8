// Memory goals, measured against a naive baseline in the same run (`npm run bench:memory`:
// builds, then runs this with --expose-gc against dist/, as users get it).
//
// 1. The client keeps a bounded state however long a run talks: heap retained
//    after N log lines, flowpulse's store vs a store that keeps every line.
// 2. The server bounds what it buffers for a client that stopped reading:
//    backlog with ConnectionManager vs sending to the same socket unchecked.
import { once } from 'node:events';
import { WebSocket, WebSocketServer } from 'ws';
import { createWorkflowStore } from '../dist/index.js';
import { createLogMessage, createWorkflowStartMessage } from '../dist/protocol.js';
import { createFlowpulseServer } from '../dist/server.js';

if (typeof gc !== 'function') throw new Error('run with node --expose-gc (npm run bench:memory)');

const MB = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
const ids = { workflowId: 'wf', executionId: 'e1' };
const line = 'x'.repeat(200);

/** Heap retained by a client fed `n` log lines; `keepAll` is the naive baseline. */
function retainedAfter(n, keepAll) {
  const before = heap();
  let held;
  if (keepAll) {
    held = [];
    for (let i = 0; i < n; i++) held.push(createLogMessage({ ...ids, message: `${i} ${line}` }));
  } else {
    held = createWorkflowStore({ workflowId: 'wf', batch: 'sync', stalledAfterMs: 0 });
    held.enqueue(createWorkflowStartMessage({ ...ids, executionOrder: ['a'] }));
    for (let i = 0; i < n; i++) held.enqueue(createLogMessage({ ...ids, message: `${i} ${line}` }));
  }
  const retained = heap() - before;
  if (!keepAll) held.destroy();
  return retained;
}

console.log('1. Client state after N log lines (heap retained)');
const rows = [];
for (const n of [10_000, 100_000]) rows.push({ n, flowpulse: retainedAfter(n, false), naive: retainedAfter(n, true) });
for (const r of rows)
  console.log(`   N=${String(r.n).padStart(7)}   flowpulse ${MB(r.flowpulse).padStart(9)}   keep-everything ${MB(r.naive).padStart(9)}`);
const last = rows.at(-1);
const growth = last.flowpulse - rows[0].flowpulse;
console.log(
  `   at N=${last.n}: ${(last.naive / Math.max(last.flowpulse, 1)).toFixed(0)}× less retained; 10× the lines changed flowpulse's figure by ${MB(Math.abs(growth))}\n`,
);

/** A client that connects, then stops reading: its socket's receive buffer fills, the server's backlog grows. */
async function stalledClient(url) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await once(ws, 'open');
  ws._socket.pause();
  return ws;
}

const big = createLogMessage({ ...ids, workflowId: 'slow', message: 'y'.repeat(7_000) });
const COUNT = 7_000; // ~49 MB offered to one reader that reads nothing
const drain = () => new Promise((r) => setImmediate(r));

async function managedBacklog() {
  const server = createFlowpulseServer({ port: 0, compression: false });
  const { port } = await server.listen();
  const client = await stalledClient(`ws://127.0.0.1:${port}/api/ws/workflow/slow`);
  let max = 0;
  for (let i = 0; i < COUNT; i++) {
    server.manager.broadcastToWorkflow(big, 'slow');
    for (const s of server.manager.sockets('slow')) max = Math.max(max, s.bufferedAmount);
    if (i % 50 === 0) await drain();
  }
  const dropped = server.manager.stats().droppedSlowConsumers;
  client.terminate();
  await server.close();
  return { max, dropped };
}

async function naiveBacklog() {
  const wss = new WebSocketServer({ port: 0, perMessageDeflate: false });
  await once(wss, 'listening');
  const connected = once(wss, 'connection');
  const client = await stalledClient(`ws://127.0.0.1:${wss.address().port}/`);
  const [socket] = await connected;
  const text = JSON.stringify(big);
  let max = 0;
  for (let i = 0; i < COUNT; i++) {
    socket.send(text);
    max = Math.max(max, socket.bufferedAmount);
    if (i % 50 === 0) await drain();
  }
  client.terminate();
  socket.terminate();
  await new Promise((r) => wss.close(r));
  return { max };
}

console.log(
  `2. Server backlog for a client that stopped reading (${COUNT} messages of ${(JSON.stringify(big).length / 1024).toFixed(1)} KB offered)`,
);
const managed = await managedBacklog();
const naive = await naiveBacklog();
console.log(`   flowpulse ConnectionManager: peak backlog ${MB(managed.max)}, slow consumers dropped: ${managed.dropped}`);
console.log(`   unchecked ws.send:           peak backlog ${MB(naive.max)}`);
console.log(`   ${(naive.max / Math.max(managed.max, 1)).toFixed(0)}× less held for the stalled client`);
