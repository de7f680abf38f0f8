import { act, render } from '@testing-library/react';
import { ReactFlow, type Edge, type Node } from '@xyflow/react';
import { vi } from 'vitest';
import type { ReactNode } from 'react';
import { createWorkflowClient, WorkflowProvider, type ServerMessage, type WorkflowClient } from 'flowpulse';
import { edgeTypes, nodeTypes } from 'flowpulse/flow';
import {
  createEdgeFlowMessage,
  createErrorMessage,
  createLogMessage,
  createNodeStatusMessage,
  createProgressMessage,
  createRunStateMessage,
  createSnapshotMessage,
  createWorkflowCompleteMessage,
  createWorkflowStartMessage,
  isoTimestamp,
  type NodeStatus,
  type RunState,
  emptySnapshot,
} from 'flowpulse/protocol';

export const WF = '123';
export const EX = 'exec-1';
const ids = { workflowId: WF, executionId: EX };
const at = (ms: number) => isoTimestamp(new Date(Date.UTC(2025, 10, 13, 1, 30, 0) + ms));

/** A client that never opens a socket; drive it with `client.store.enqueue`. */
export function testClient(): WorkflowClient {
  return createWorkflowClient({ workflowId: WF, batch: 'sync' });
}

/** A provider around `children` using `client`, socket disabled. */
export function withClient(client: WorkflowClient, children: ReactNode) {
  return (
    <WorkflowProvider workflowId={WF} client={client} enabled={false}>
      {children}
    </WorkflowProvider>
  );
}

/** Message builders for execution `exec-1` of workflow `123`, timestamps `ms` after a fixed start. */
export const msg = {
  start: (order: string[], ms = 0) => createWorkflowStartMessage({ ...ids, executionOrder: order, timestamp: at(ms) }),
  status: (nodeId: string, status: NodeStatus, ms = 0, extra: { result?: unknown; error?: string; progress?: number } = {}) =>
    createNodeStatusMessage({ ...ids, nodeId, status, timestamp: at(ms), ...extra }),
  flow: (source: string, target: string, edgeId: string | null = null, ms = 0) =>
    createEdgeFlowMessage({ ...ids, sourceNodeId: source, targetNodeId: target, edgeId, timestamp: at(ms) }),
  progress: (step: number, total: number, current: string | null, ms = 0) =>
    createProgressMessage({ ...ids, currentStep: step, totalSteps: total, currentNodeId: current, timestamp: at(ms) }),
  log: (message: string, level: 'info' | 'warning' | 'error' = 'info', nodeId?: string, ms = 0) =>
    createLogMessage({ ...ids, message, level, ...(nodeId === undefined ? {} : { nodeId }), timestamp: at(ms) }),
  error: (error: string, nodeId: string | null = null, ms = 0) => createErrorMessage({ ...ids, error, nodeId, timestamp: at(ms) }),
  complete: (success: boolean, seconds = 1.5) => createWorkflowCompleteMessage({ ...ids, success, executionTime: seconds }),
  runState: (state: RunState, reason: string | null = null) => createRunStateMessage({ ...ids, state, reason }),
  /** A completed node whose result was too large for the stream: `result_ref` instead. */
  bigResult: (nodeId: string, ref: string, ms = 0) => {
    const m = createNodeStatusMessage({ ...ids, nodeId, status: 'completed', timestamp: at(ms) });
    return { ...m, data: { ...m.data, result_ref: ref } };
  },
  /** The snapshot a restarted server sends: it knows no run of this workflow. */
  forgotten: () => createSnapshotMessage({ snapshot: emptySnapshot(WF) }),
};

/**
 * Lets React Flow measure (the ResizeObserver mock reports a microtask later),
 * fire `onInit` and re-render. Under fake timers it advances them 50 ms.
 */
export async function settle(): Promise<void> {
  for (let round = 0; round < 3; round++) {
    await act(async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve();
      if (vi.isFakeTimers()) vi.advanceTimersByTime(16);
      else await new Promise((resolve) => setTimeout(resolve, 0));
      for (let i = 0; i < 10; i++) await Promise.resolve();
    });
  }
}

/**
 * React Flow (800×600, flowpulse's node and edge types) showing `nodes` and
 * `edges` under `client`'s provider, settled; with `send` to feed the store
 * and lookups for a node's wrapper and its `.fp-node`.
 */
export async function renderFlow(nodes: Node[], options: { edges?: Edge[]; client?: WorkflowClient } = {}) {
  const client = options.client ?? testClient();
  const view = render(
    withClient(
      client,
      <div style={{ width: 800, height: 600 }}>
        <ReactFlow nodes={nodes} edges={options.edges} nodeTypes={nodeTypes} edgeTypes={edgeTypes} />
      </div>,
    ),
  );
  await settle();
  const send = (...messages: ServerMessage[]) => act(() => messages.forEach((m) => client.store.enqueue(m)));
  const wrapper = (id: string) => view.container.querySelector(`.react-flow__node[data-id="${id}"]`) as HTMLElement;
  const node = (id: string) => wrapper(id).querySelector('.fp-node') as HTMLElement;
  return { client, view, send, wrapper, node };
}
