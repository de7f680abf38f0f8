import type { EdgeTypes, NodeTypes } from '@xyflow/react';
import { DataFlowEdge } from './DataFlowEdge';
import { StatusNode } from './StatusNode';

/**
 * React Flow node types, at module scope so React Flow never sees a new object.
 * @default { status: StatusNode }
 *
 * @example
 * <ReactFlow nodeTypes={nodeTypes} edgeTypes={edgeTypes} nodes={nodes} edges={edges} />
 */
export const nodeTypes = { status: StatusNode } satisfies NodeTypes;

/**
 * React Flow edge types, at module scope.
 * @default { dataflow: DataFlowEdge }
 *
 * @example
 * <ReactFlow edgeTypes={edgeTypes} edges={[{ id: 'e', source: 'a', target: 'b', type: 'dataflow' }]} />
 */
export const edgeTypes = { dataflow: DataFlowEdge } satisfies EdgeTypes;
