import { useEffect, useMemo } from 'react';
import { MarkerType, ReactFlow, type Edge, type Node } from '@xyflow/react';
import { createWorkflowClient, WorkflowProvider } from 'flowpulse';
import { edgeTypes, nodeTypes } from 'flowpulse/flow';
import { createEdgeFlowMessage, createNodeStatusMessage, createWorkflowStartMessage } from 'flowpulse/protocol';

/** Props of {@link EdgeStage}. */
export interface EdgeStageProps {
  /** Send an `edge_flow` for the edge. */
  flowing: boolean;
  /** Send another one this often, so the story keeps flowing; 0 sends one. @default 3500 */
  everyMs?: number;
}

const ids = { workflowId: 'edge-stage', executionId: 'edge-1' };
const nodes: Node[] = [
  { id: 'extract', type: 'status', position: { x: 0, y: 0 }, data: { label: 'Extract', type: 'http' } },
  { id: 'load', type: 'status', position: { x: 0, y: 200 }, data: { label: 'Load', type: 'sql' } },
];
const edges: Edge[] = [
  { id: 'extract-load', source: 'extract', target: 'load', type: 'dataflow', markerEnd: { type: MarkerType.ArrowClosed } },
];

/**
 * Two nodes and a data-flow edge, at rest or with data passing.
 *
 * @example
 * <EdgeStage flowing />
 */
export function EdgeStage({ flowing, everyMs = 3500 }: EdgeStageProps) {
  const client = useMemo(() => createWorkflowClient({ workflowId: ids.workflowId, batch: 'sync' }), []);
  useEffect(() => {
    const { store } = client;
    store.enqueue(createWorkflowStartMessage({ ...ids, executionOrder: ['extract', 'load'] }));
    store.enqueue(createNodeStatusMessage({ ...ids, nodeId: 'extract', status: 'completed', result: { rows: 12 } }));
    if (!flowing) return;
    const send = () =>
      store.enqueue(
        createEdgeFlowMessage({ ...ids, sourceNodeId: 'extract', targetNodeId: 'load', edgeId: 'extract-load', data: { rows: 12 } }),
      );
    send();
    if (!everyMs) return;
    const timer = setInterval(send, everyMs);
    return () => clearInterval(timer);
  }, [client, flowing, everyMs]);
  useEffect(() => () => client.destroy(), [client]);
  return (
    <WorkflowProvider workflowId={ids.workflowId} client={client} enabled={false}>
      <div style={{ width: '100%', height: 360 }}>
        <ReactFlow
          nodes={nodes}
          edges={edges}
          nodeTypes={nodeTypes}
          edgeTypes={edgeTypes}
          fitView
          fitViewOptions={{ padding: 0.3, maxZoom: 1.5 }}
        />
      </div>
    </WorkflowProvider>
  );
}
