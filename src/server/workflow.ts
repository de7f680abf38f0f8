/**
 * The shape of a workflow definition: the JSON a workflow file holds and
 * `PUT /api/workflows/{id}` accepts.
 */

/**
 * One node of a workflow.
 *
 * @example
 * const node: WorkflowNodeDefinition = { id: 'load', type: 'delay', label: 'Load orders', config: { ms: 600 } };
 */
export interface WorkflowNodeDefinition {
  /** Unique within the workflow; the `node_id` of every message about this node. */
  id: string;
  /** A registered node type, e.g. `delay`, `transform`, `merge`. */
  type: string;
  /** Human-readable name for the canvas. @default the node id */
  label?: string | undefined;
  /** Passed to the executor as `ctx.config`. @default {} */
  config?: Record<string, unknown> | undefined;
}

/**
 * A directed edge: `source`'s result flows to `target`, which waits for it.
 *
 * @example
 * const edge: WorkflowEdgeDefinition = { id: 'e1', source: 'load', target: 'clean' };
 */
export interface WorkflowEdgeDefinition {
  /** Sent as `edge_flow.data.edge_id`. @default null on the wire */
  id?: string | undefined;
  source: string;
  target: string;
}

/**
 * A whole workflow: a directed acyclic graph of nodes.
 *
 * @example
 * const wf: WorkflowDefinition = {
 *   id: 'hello', name: 'Hello',
 *   nodes: [{ id: 'a', type: 'start' }, { id: 'b', type: 'output' }],
 *   edges: [{ source: 'a', target: 'b' }],
 * };
 */
export interface WorkflowDefinition {
  id: string;
  /** @default the workflow id */
  name?: string | undefined;
  nodes: WorkflowNodeDefinition[];
  /** @default [] */
  edges?: WorkflowEdgeDefinition[] | undefined;
}
