import { useMemo } from 'react';
import { ReactFlow, type Node } from '@xyflow/react';
import { createWorkflowClient, WorkflowProvider } from 'flowpulse';
import { nodeTypes } from 'flowpulse/flow';
import {
  createNodeStatusMessage,
  createProgressMessage,
  createWorkflowStartMessage,
  isoTimestamp,
  type NodeStatus,
} from 'flowpulse/protocol';
import { forgotten } from './storyExtras';

/** One node to show, and the state to put it in. */
export interface StagedNode {
  id: string;
  label: string;
  type?: string;
  status: NodeStatus;
  /** Named by the last `progress` message as the node running now. */
  current?: boolean;
  /** How long it ran, for completed and failed nodes. */
  durationMs?: number;
  error?: string;
  result?: unknown;
  /** Listed by the stalled-node watchdog (a running node with no news for a while). */
  stalled?: boolean;
}

/** Props of {@link NodeStage}. */
export interface NodeStageProps {
  nodes: StagedNode[];
  colorMode?: 'light' | 'dark';
  /** The server forgot the run (a snapshot with no execution): running nodes show as Unknown. */
  stale?: boolean;
}

const ids = { workflowId: 'stage', executionId: 'stage-1' };

/**
 * Status nodes side by side, each put in its state by real protocol messages
 * fed into a socket-less client's store.
 *
 * @example
 * <NodeStage nodes={[{ id: 'a', label: 'Fetch', status: 'running' }]} />
 */
export function NodeStage({ nodes, colorMode = 'light', stale = false }: NodeStageProps) {
  const client = useMemo(() => {
    // No watchdog: the stage is a still picture, and stalled nodes are set by hand below.
    const c = createWorkflowClient({ workflowId: ids.workflowId, batch: 'sync', stalledAfterMs: 0 });
    const t0 = Date.UTC(2025, 10, 13, 1, 30, 0);
    const at = (ms: number) => isoTimestamp(new Date(t0 + ms));
    c.store.enqueue(createWorkflowStartMessage({ ...ids, executionOrder: nodes.map((n) => n.id), timestamp: at(0) }));
    nodes.forEach((n, i) => {
      if (n.current)
        c.store.enqueue(
          createProgressMessage({ ...ids, currentStep: i + 1, totalSteps: nodes.length, currentNodeId: n.id, timestamp: at(0) }),
        );
      if (n.status === 'pending') return;
      c.store.enqueue(createNodeStatusMessage({ ...ids, nodeId: n.id, status: 'running', timestamp: at(0) }));
      if (n.status === 'running') return;
      c.store.enqueue(
        createNodeStatusMessage({
          ...ids,
          nodeId: n.id,
          status: n.status,
          error: n.error ?? null,
          result: n.result,
          timestamp: at(n.durationMs ?? 1200),
        }),
      );
    });
    if (stale) c.store.enqueue(forgotten(ids.workflowId));
    const stalled = nodes.filter((n) => n.stalled).map((n) => n.id);
    if (stalled.length) c.store.setState({ stalledNodeIds: stalled });
    return c;
  }, [nodes, stale]);
  const flowNodes = useMemo<Node[]>(
    () => nodes.map((n, i) => ({ id: n.id, type: 'status', position: { x: i * 220, y: 60 }, data: { label: n.label, type: n.type } })),
    [nodes],
  );
  return (
    <WorkflowProvider workflowId={ids.workflowId} client={client} enabled={false}>
      <div className={colorMode === 'dark' ? 'fp-dark' : undefined} style={{ width: '100%', height: 260 }}>
        <ReactFlow nodes={flowNodes} nodeTypes={nodeTypes} colorMode={colorMode} fitView fitViewOptions={{ padding: 0.4, maxZoom: 1.5 }} />
      </div>
    </WorkflowProvider>
  );
}
