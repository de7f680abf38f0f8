/**
 * What batching buys: 500 node subscribers (one per canvas node, each with
 * its own selector, as StatusNode does) watching a burst of 200 messages.
 * Per-message updates notify every subscriber 200 times; one batch notifies once.
 * Run: npm run bench
 */
import { bench, describe } from 'vitest';
import { createWorkflowStore, type WorkflowStore } from 'flowpulse';
import {
  createLogMessage,
  createNodeStatusMessage,
  createProgressMessage,
  createWorkflowStartMessage,
  type ServerMessage,
} from 'flowpulse/protocol';

const NODES = 500;
const ids = Array.from({ length: NODES }, (_, i) => `n${i}`);
const base = { workflowId: 'w', executionId: 'e' };
const start = createWorkflowStartMessage({ ...base, executionOrder: ids });
const burst: ServerMessage[] = [];
for (let i = 0; i < 50; i++) {
  const nodeId = ids[i]!;
  burst.push(createNodeStatusMessage({ ...base, nodeId, status: 'running' }));
  burst.push(createProgressMessage({ ...base, currentStep: i, totalSteps: NODES, currentNodeId: nodeId }));
  burst.push(createLogMessage({ ...base, message: `node ${nodeId} working`, nodeId }));
  burst.push(createNodeStatusMessage({ ...base, nodeId, status: 'completed', result: { i } }));
}

function storeWithSubscribers(batch: 'sync' | 'microtask'): WorkflowStore {
  const store = createWorkflowStore({ workflowId: 'w', batch });
  store.enqueue(start);
  store.flush();
  for (const id of ids) {
    let last = store.getState().nodeStatuses[id];
    store.subscribe((s) => {
      const next = s.nodeStatuses[id];
      if (next !== last) last = next;
    });
  }
  return store;
}

describe('a burst of 200 messages, 500 subscribed nodes', () => {
  const perMessage = storeWithSubscribers('sync');
  const batched = storeWithSubscribers('microtask');

  bench('one store update per message (no batching)', () => {
    for (const m of burst) perMessage.enqueue(m);
  });

  bench('one store update per burst (flowpulse default)', () => {
    for (const m of burst) batched.enqueue(m);
    batched.flush();
  });
});
