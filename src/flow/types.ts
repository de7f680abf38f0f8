import type { Edge, Node, XYPosition } from '@xyflow/react';

/**
 * What a status node carries in React Flow's `node.data`: only what describes
 * the node. Run state never goes here, so a status change does not touch the
 * `nodes` array and re-renders one node, not the canvas.
 *
 * @example
 * const data: StatusNodeData = { label: 'Fetch orders', type: 'http' };
 */
export type StatusNodeData = {
  /** Shown on the node. @default the node id */
  label?: string | undefined;
  /** The workflow node's kind (`http`, `python`, …), shown under the label. */
  type?: string | undefined;
  /** Longer text, shown as the node's description for assistive technology. */
  description?: string | undefined;
};

/**
 * A React Flow node rendered by {@link StatusNode}.
 *
 * @example
 * const node: StatusNodeType = { id: 'a', type: 'status', position: { x: 0, y: 0 }, data: { label: 'A' } };
 */
export type StatusNodeType = Node<StatusNodeData, 'status'>;

/**
 * A React Flow edge rendered by {@link DataFlowEdge}.
 *
 * @example
 * const edge: DataFlowEdgeType = { id: 'a->b', type: 'dataflow', source: 'a', target: 'b' };
 */
export type DataFlowEdgeType = Edge<Record<string, unknown>, 'dataflow'>;

/**
 * A node of a plain {@link WorkflowGraph}.
 *
 * @example
 * const node: WorkflowGraphNode = { id: 'fetch', label: 'Fetch orders', type: 'http' };
 */
export interface WorkflowGraphNode {
  id: string;
  /** @default the id */
  label?: string | undefined;
  /** The workflow node's kind; not React Flow's node type. */
  type?: string | undefined;
  description?: string | undefined;
  /** Nodes without one are placed by the automatic layout. */
  position?: XYPosition | undefined;
  /**
   * The React Flow node type that draws it, one of the canvas's `nodeTypes` (your own
   * renderer beside flowpulse's). Its `data` is still `{ label, type?, description? }`.
   * @default 'status'
   */
  renderer?: string | undefined;
}

/**
 * An edge of a plain {@link WorkflowGraph}. Give it the id the server sends as
 * `edge_flow.edge_id`; without one it is `source->target`, and flows match on
 * their source and target nodes.
 *
 * @example
 * const edge: WorkflowGraphEdge = { source: 'fetch', target: 'parse' };
 */
export interface WorkflowGraphEdge {
  /** @default `${source}->${target}` */
  id?: string | undefined;
  source: string;
  target: string;
  label?: string | undefined;
}

/**
 * A workflow as plain data, without React Flow's shapes; `WorkflowCanvas`
 * lays it out top to bottom.
 *
 * @example
 * const graph: WorkflowGraph = {
 *   nodes: [{ id: 'fetch' }, { id: 'parse' }],
 *   edges: [{ source: 'fetch', target: 'parse' }],
 * };
 */
export interface WorkflowGraph {
  nodes: readonly WorkflowGraphNode[];
  edges: readonly WorkflowGraphEdge[];
}

/**
 * A React Flow node whose position may be missing (it is then laid out).
 *
 * @example
 * const node: CanvasNodeInput = { id: 'a', data: { label: 'A' } };
 */
export type CanvasNodeInput = Omit<Node, 'position'> & { position?: XYPosition | undefined };
