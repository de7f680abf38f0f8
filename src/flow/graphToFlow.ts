import { MarkerType } from '@xyflow/react';
import { catalogOf, DEFAULT_MESSAGES, type CanvasMessages } from './canvasMessages';
import type { CanvasNodeInput, DataFlowEdgeType, StatusNodeData, WorkflowGraph } from './types';

/** React Flow elements made from a {@link WorkflowGraph}; positions may still be missing. */
export interface FlowElements {
  nodes: CanvasNodeInput[];
  edges: DataFlowEdgeType[];
}

/**
 * Turns a plain graph into React Flow nodes (`status`, or the node's `renderer`) and edges (`dataflow`,
 * with an arrow, named for assistive technology after the nodes' labels: `From Fetch to Parse`, in the
 * words of `messages`' `edgeLabel`). Edges without an id get `source->target` (`#2`, `#3` … for repeats).
 *
 * @example
 * const { nodes, edges } = graphToFlow({ nodes: [{ id: 'a' }, { id: 'b' }], edges: [{ source: 'a', target: 'b' }] });
 */
export function graphToFlow(graph: WorkflowGraph, given: CanvasMessages = DEFAULT_MESSAGES): FlowElements {
  const messages = catalogOf(given);
  const nodes = graph.nodes.map((n): CanvasNodeInput => {
    const data: StatusNodeData = { label: n.label ?? n.id };
    if (n.type !== undefined) data.type = n.type;
    if (n.description !== undefined) data.description = n.description;
    const type = n.renderer ?? 'status';
    return n.position ? { id: n.id, type, data, position: n.position } : { id: n.id, type, data };
  });
  const labelOf = graphLabels(graph);
  const seen = new Map<string, number>();
  const taken = new Set(graph.edges.flatMap((e) => (e.id === undefined ? [] : [e.id])));
  const edges = graph.edges.map((e): DataFlowEdgeType => {
    let id = e.id;
    if (id === undefined) {
      const base = `${e.source}->${e.target}`;
      // Never an id the graph gives another edge: two edges of one id draw one twice and drop the other.
      let count = seen.get(base) ?? 0;
      do {
        count++;
        id = count === 1 ? base : `${base}#${count}`;
      } while (taken.has(id));
      seen.set(base, count);
      taken.add(id);
    }
    // Named after the nodes as people see them; React Flow's own name uses their ids.
    const ariaLabel = messages.edgeLabel(labelOf(e.source), labelOf(e.target), e.label || null);
    return {
      id,
      source: e.source,
      target: e.target,
      type: 'dataflow',
      label: e.label,
      ariaLabel,
      markerEnd: { type: MarkerType.ArrowClosed },
    };
  });
  return { nodes, edges };
}

/** A graph's node labels by id (the id for a node without one, or not in the graph). */
export function graphLabels(graph: WorkflowGraph): (id: string) => string {
  const labels = new Map(graph.nodes.map((n) => [n.id, n.label ?? n.id]));
  return (id) => labels.get(id) ?? id;
}
