import { useMemo } from 'react';
import type { Edge, Node } from '@xyflow/react';
import { graphToFlow } from './graphToFlow';
import { layoutNodes, type LayoutOptions } from './layout';
import type { CanvasNodeInput, WorkflowGraph } from './types';

/** Inputs of {@link useFlowElements}: React Flow elements or a plain graph. */
export interface FlowElementsInput {
  nodes?: readonly CanvasNodeInput[];
  edges?: readonly Edge[];
  graph?: WorkflowGraph;
  layout?: LayoutOptions;
}

const NO_EDGES: Edge[] = [];

/**
 * React Flow nodes and edges for the canvas, laid out where positions are
 * missing. Memoized on the inputs' identity: run state never changes them,
 * so React Flow's `nodes` array changes only when the graph does.
 * Nodes and edges without a type become `status` and `dataflow`.
 *
 * @example
 * const { nodes, edges } = useFlowElements({ graph });
 */
export function useFlowElements({ nodes, edges, graph, layout }: FlowElementsInput): { nodes: Node[]; edges: Edge[] } {
  const direction = layout?.direction;
  const nodeWidth = layout?.nodeWidth;
  const nodeHeight = layout?.nodeHeight;
  const rankSep = layout?.rankSep;
  const nodeSep = layout?.nodeSep;
  return useMemo(() => {
    const source = graph ? graphToFlow(graph) : { nodes: nodes ?? [], edges: edges ?? NO_EDGES };
    const typedNodes = source.nodes.map((n) => (n.type ? n : { ...n, type: 'status' }));
    const typedEdges = source.edges.map((e) => (e.type ? e : { ...e, type: 'dataflow' }));
    const placed = layoutNodes(typedNodes, typedEdges, { direction, nodeWidth, nodeHeight, rankSep, nodeSep });
    return { nodes: placed, edges: typedEdges };
  }, [graph, nodes, edges, direction, nodeWidth, nodeHeight, rankSep, nodeSep]);
}
